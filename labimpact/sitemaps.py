from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    """Site-wide pages in every language, each with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return [
            "home",
            "about",
            "services:search",
            "services:guides",
            "content:materials",
            "content:news_list",
            "territories:ambiti",
            "sitesearch:search",
            "feedback:missing_desk",
            "accessibility",
            "privacy",
            "legal",
        ]

    def location(self, item):
        return reverse(item)


class SportelloSitemap(Sitemap):
    """Every published desk in every language."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        from services.models import Sportello

        return Sportello.objects.published().order_by("pk")

    def lastmod(self, desk):
        return desk.updated_at


class GuideSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        from services.models import Guide

        return Guide.objects.published().order_by("pk")

    def lastmod(self, guide):
        return guide.updated_at


class NewsSitemap(Sitemap):
    """Published news whose date has come (materials have no page of their own)."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        from content.models import News

        return News.objects.published().order_by("pk")

    def lastmod(self, news):
        return news.updated_at


class AmbitoSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        from territories.models import Ambito

        return Ambito.objects.order_by("pk")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "sportelli": SportelloSitemap,
    "guide": GuideSitemap,
    "notizie": NewsSitemap,
    "ambiti": AmbitoSitemap,
}
