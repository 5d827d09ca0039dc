import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from mediation.models import Mediator
from plan.models import MacroAzione
from schools.models import School
from services.models import Sportello
from territories.models import Ambito, Comune, Partner, PartnerType, Provincia


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"utente{n}")
    is_staff = True


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Cooperativa di prova {n}")
    type = factory.LazyFunction(lambda: PartnerType.objects.get(key="cooperativa_sociale"))


class AmbitoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambito

    name = factory.Sequence(lambda n: f"Ambito di prova {n}")
    slug = factory.Sequence(lambda n: f"ambito-di-prova-{n}")
    provincia = factory.LazyFunction(lambda: Provincia.objects.get(code="MN"))
    capofila = factory.SubFactory(PartnerFactory)
    is_demo = True


class SportelloFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sportello

    ambito = factory.LazyFunction(lambda: Ambito.objects.get(slug="sesto-san-giovanni"))
    name = factory.Sequence(lambda n: f"Sportello di prova {n}")
    slug = factory.Sequence(lambda n: f"sportello-di-prova-{n}")
    address = "Via Roma 1"
    comune = factory.LazyFunction(lambda: Comune.objects.get(name="Sesto San Giovanni"))
    is_demo = True


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    ambito = factory.LazyFunction(lambda: Ambito.objects.get(slug="sesto-san-giovanni"))
    name = factory.Sequence(lambda n: f"Scuola di prova {n}")
    code = factory.Sequence(lambda n: f"MIIC9{n:04d}T")
    comune = factory.LazyFunction(lambda: Comune.objects.get(name="Sesto San Giovanni"))
    is_demo = True


class MediatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mediator
        skip_postgeneration_save = True

    first_name = "Nadia"
    last_name = factory.Sequence(lambda n: f"Prova {n}")
    is_demo = True

    @factory.post_generation
    def ambiti(self, create, extracted, **kwargs):
        if create and extracted:
            self.ambiti.set(extracted)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.Activity"

    ambito = factory.LazyFunction(lambda: Ambito.objects.get(slug="sesto-san-giovanni"))
    macro_azione = factory.LazyFunction(lambda: MacroAzione.objects.get(number=1))
    kind = "laboratorio_l2"
    title = factory.Sequence(lambda n: f"Laboratorio di prova {n}")
    start_date = datetime.date(2021, 2, 1)
    end_date = datetime.date(2021, 2, 5)
    hours = Decimal("8.0")


class BeneficiaryGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.BeneficiaryGroup"

    activity = factory.SubFactory(ActivityFactory)
    beneficiary_type = "alunno"
    sex = "F"
    age_band = "6-10"
    nationality_group = "nord_africa"
    count = 5


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "services.Guide"

    ambito = factory.LazyFunction(lambda: Ambito.objects.get(slug="sesto-san-giovanni"))
    title_it = factory.Sequence(lambda n: f"Guida di prova {n}")
    slug = factory.Sequence(lambda n: f"guida-di-prova-{n}")
    is_demo = True


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "content.Material"

    ambito = factory.LazyFunction(lambda: Ambito.objects.get(slug="sesto-san-giovanni"))
    title_it = factory.Sequence(lambda n: f"Materiale di prova {n}")
    slug = factory.Sequence(lambda n: f"materiale-di-prova-{n}")
    is_demo = True


class NewsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "content.News"

    ambito = factory.LazyFunction(lambda: Ambito.objects.get(slug="sesto-san-giovanni"))
    title_it = factory.Sequence(lambda n: f"Notizia di prova {n}")
    slug = factory.Sequence(lambda n: f"notizia-di-prova-{n}")
    is_demo = True


def user_with_role(role: str, **binding):
    """A back-office user holding `role` (access.roles) bound as given: ambito=…, school=…,
    or, for the mediator, their register entry (mediator=…, created when not given)."""
    from access.models import Membership
    from access.roles import ROLES

    user = UserFactory()
    if ROLES[role].in_membership:
        Membership.objects.create(user=user, role=role, **binding)
    else:
        mediator = binding.get("mediator") or MediatorFactory()
        mediator.user = user
        mediator.save()
    return user
