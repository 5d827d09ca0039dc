from django.apps import apps
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
            "associations:list",
            "associations:propose",
            "associations:events",
            "newsletter:signup",
            "accessibility",
            "privacy",
            "legal",
        ]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(Sitemap):
    """The published rows of one model in every language, with their last change.

    Subclasses name the model ("app.Model", resolved lazily: apps load in any order).
    """

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    model_label = ""

    def items(self):
        model = apps.get_model(self.model_label)
        return model.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class SportelloSitemap(PublishedSitemap):
    model_label = "services.Sportello"


class GuideSitemap(PublishedSitemap):
    model_label = "services.Guide"
    changefreq = "monthly"


class NewsSitemap(PublishedSitemap):
    """Published news whose date has come (materials have no page of their own)."""

    model_label = "content.News"


class AssociationSitemap(PublishedSitemap):
    model_label = "associations.Association"
    changefreq = "monthly"


class EventSitemap(PublishedSitemap):
    model_label = "associations.Event"


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
    "associazioni": AssociationSitemap,
    "eventi": EventSitemap,
}
