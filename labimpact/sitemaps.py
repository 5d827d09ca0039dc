from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    """Site-wide pages in every language, each with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return ["home", "about", "accessibility", "privacy", "legal"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": StaticPagesSitemap}
