"""Demo materials and news, loaded by labimpact.demo.load_demo.

Every item is flagged `is_demo` and says "(demo)" in its title. Texts are in Italian,
English and Arabic; other languages fall back to Italian with the usual note. Facts come
from the public pages of the plan and of the ambiti (../shared/seeds).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from content import demo_files, uploads
from content.models import Material, MaterialFile, News
from plan.models import MacroAzione

ROME = ZoneInfo("Europe/Rome")
SESTO = "sesto-san-giovanni"
CREMONA = "cremonese-casalasco"

# title and description per language; files: language → "pdf" or "png".
MATERIALS = [
    {
        "slug": "permesso-di-soggiorno-in-breve-demo",
        "ambito": None,
        "macro_azione": 3,
        "categories": ["permesso-soggiorno"],
        "text": {
            "it": (
                "Il permesso di soggiorno in breve (demo)",
                "Una scheda di due pagine: quando chiedere il rinnovo, quali documenti preparare, "
                "dove trovare aiuto gratuito.",
            ),
            "en": (
                "Residence permits at a glance (demo)",
                "A two-page leaflet: when to ask for a renewal, which documents to prepare, where to find free help.",
            ),
            "ar": (
                "تصريح الإقامة باختصار (تجريبي)",
                "نشرة من صفحتين: متى تطلب التجديد، وما هي الوثائق التي يجب تحضيرها، وأين تجد مساعدة مجانية.",
            ),
        },
        "files": {"it": "pdf", "en": "pdf", "fr": "pdf", "ar": "pdf", "zh-hans": "pdf", "ur": "pdf"},
    },
    {
        "slug": "iscrizione-scuola-sesto-demo",
        "ambito": SESTO,
        "macro_azione": 1,
        "categories": ["iscrizione-scuola"],
        "text": {
            "it": (
                "Iscrivere i figli a scuola a Sesto San Giovanni (demo)",
                "Come funziona l'iscrizione, le scadenze e l'aiuto dei mediatori nei colloqui con gli insegnanti.",
            ),
            "en": (
                "Enrolling your children at school in Sesto San Giovanni (demo)",
                "How enrolment works, the deadlines and how mediators help at meetings with teachers.",
            ),
            "ar": (
                "تسجيل الأطفال في المدرسة في سيستو سان جوفاني (تجريبي)",
                "كيف يتم التسجيل، والمواعيد النهائية، وكيف يساعد الوسطاء في اللقاءات مع المعلمين.",
            ),
        },
        "files": {"it": "pdf", "ar": "pdf", "zh-hans": "pdf", "es": "pdf"},
    },
    {
        "slug": "corsi-italiano-adulti-cremonese-demo",
        "ambito": CREMONA,
        "macro_azione": 2,
        "categories": ["corsi-italiano"],
        "text": {
            "it": (
                "Corsi di italiano per adulti nel Cremonese (demo)",
                "Dove e quando si tengono i corsi gratuiti di lingua italiana, alcuni con custodia dei bambini.",
            ),
            "en": (
                "Italian courses for adults around Cremona (demo)",
                "Where and when the free Italian language courses take place, some with childcare.",
            ),
            "ar": (
                "دورات اللغة الإيطالية للبالغين في منطقة كريمونا (تجريبي)",
                "أين ومتى تُقام دورات اللغة الإيطالية المجانية، وبعضها مع رعاية للأطفال.",
            ),
        },
        "files": {"it": "pdf"},
    },
    {
        "slug": "mediatore-linguistico-culturale-demo",
        "ambito": None,
        "macro_azione": 2,
        "categories": ["mediazione"],
        "text": {
            "it": (
                "Chi è il mediatore linguistico-culturale (demo)",
                "Un volantino che spiega a famiglie e utenti dei servizi come chiedere un mediatore "
                "che parli la loro lingua.",
            ),
            "en": (
                "What a cultural mediator does (demo)",
                "A leaflet explaining to families and service users how to ask for a mediator who speaks "
                "their language.",
            ),
            "ar": (
                "من هو الوسيط اللغوي والثقافي (تجريبي)",
                "نشرة تشرح للعائلات ولمستخدمي الخدمات كيف يطلبون وسيطًا يتحدث لغتهم.",
            ),
        },
        "files": {"it": "pdf", "en": "pdf", "fr": "pdf", "sq": "pdf", "uk": "pdf", "bn": "pdf"},
    },
    {
        "slug": "locandina-sportello-sesto-demo",
        "ambito": SESTO,
        "macro_azione": 3,
        "categories": ["permesso-soggiorno", "cittadinanza"],
        "text": {
            "it": (
                "Locandina dello sportello stranieri di Sesto San Giovanni (demo)",
                "Da stampare e appendere: orari e contatti dello sportello.",
            ),
            "en": (
                "Poster of the Sesto San Giovanni foreign residents' desk (demo)",
                "To print and put up: opening hours and contacts of the desk.",
            ),
            "ar": (
                "ملصق مكتب الأجانب في سيستو سان جوفاني (تجريبي)",
                "للطباعة والتعليق: أوقات الدوام ووسائل الاتصال بالمكتب.",
            ),
        },
        "files": {"it": "png", "ar": "png"},
    },
    {
        # Not in Italian yet: an Italian reader finds it among "only in other languages".
        "slug": "servizio-sanitario-iscrizione-demo",
        "ambito": CREMONA,
        "macro_azione": 2,
        "categories": ["salute"],
        "text": {
            "it": (
                "Iscriversi al Servizio sanitario nazionale (demo)",
                "Come scegliere il medico di base e avere la tessera sanitaria. "
                "La versione italiana è in preparazione.",
            ),
            "en": (
                "Registering with the National Health Service (demo)",
                "How to choose a family doctor and get the health card. The Italian version is being prepared.",
            ),
            "ar": (
                "التسجيل في الخدمة الصحية الوطنية (تجريبي)",
                "كيف تختار طبيب الأسرة وتحصل على البطاقة الصحية. النسخة الإيطالية قيد الإعداد.",
            ),
        },
        "files": {"en": "pdf", "ar": "pdf", "ur": "png", "bn": "png"},
    },
]

NEWS = [
    {
        "slug": "lab-impact-35-ambiti-demo",
        "ambito": None,
        "published_at": "2020-03-13T10:00",
        "text": {
            "it": (
                "Lab'Impact: 35 ambiti per l'integrazione in Lombardia (demo)",
                "Il piano regionale finanziato dal Fondo Asilo, Migrazione e Integrazione 2014-2020 lavora con "
                "35 ambiti territoriali, ANCI Lombardia e Fondazione ISMU.",
                "Regione Lombardia guida il piano Lab'Impact, approvato con la DGR XI/533 del 17 settembre 2018. "
                "Gli interventi seguono quattro macro-azioni: la scuola in contesti multiculturali, l'accesso ai "
                "servizi, l'informazione qualificata e la partecipazione attiva dei cittadini di paesi terzi.\n\n"
                "Ogni ambito territoriale guida una rete locale di comuni, scuole, cooperative e associazioni.",
            ),
            "en": (
                "Lab'Impact: 35 ambiti for integration in Lombardy (demo)",
                "The regional plan funded by the Asylum, Migration and Integration Fund 2014-2020 works with "
                "35 territorial ambiti, ANCI Lombardia and Fondazione ISMU.",
                "Regione Lombardia leads the Lab'Impact plan, approved by regional decree DGR XI/533 of "
                "17 September 2018. Its work follows four macro-actions: schools in multicultural settings, "
                "access to services, qualified information and the active participation of third-country "
                "nationals.\n\nEach territorial ambito leads a local network of municipalities, schools, "
                "cooperatives and associations.",
            ),
            "ar": (
                "لاب إمباكت: 35 منطقة من أجل الاندماج في لومبارديا (تجريبي)",
                "تعمل الخطة الإقليمية، الممولة من صندوق اللجوء والهجرة والاندماج 2014-2020، مع 35 منطقة محلية "
                "ومع ANCI Lombardia ومؤسسة ISMU.",
                "يقود إقليم لومبارديا خطة لاب إمباكت التي أُقرّت بالقرار الإقليمي DGR XI/533 بتاريخ 17 سبتمبر 2018. "
                "وتتبع الأنشطة أربعة محاور: المدرسة في البيئات متعددة الثقافات، والوصول إلى الخدمات، والمعلومات "
                "الموثوقة، والمشاركة الفعالة لمواطني البلدان الثالثة.\n\n"
                "تقود كل منطقة شبكة محلية من البلديات والمدارس والتعاونيات والجمعيات.",
            ),
        },
    },
    {
        "slug": "materiali-in-piu-lingue-demo",
        "ambito": None,
        "published_at": "2022-03-01T09:30",
        "text": {
            "it": (
                "Materiali informativi in più lingue sul portale (demo)",
                "Volantini e schede sui servizi si scaricano nelle lingue in cui gli ambiti li hanno tradotti.",
                "Nella pagina Materiali trovi prima i documenti nella tua lingua, poi quelli disponibili solo in "
                "altre lingue. Ogni file indica la lingua, il formato e il peso, così sai cosa stai scaricando."
                "\n\nGli ambiti possono aggiungere nuove traduzioni in qualsiasi momento.",
            ),
            "en": (
                "Information materials in more languages on the portal (demo)",
                "Leaflets and fact sheets about services can be downloaded in the languages the ambiti have "
                "translated them into.",
                "On the Materials page you first find the documents in your language, then those available only "
                "in other languages. Each file shows its language, format and size, so you know what you are "
                "downloading.\n\nThe ambiti can add new translations at any time.",
            ),
            "ar": (
                "مواد إعلامية بلغات متعددة على البوابة (تجريبي)",
                "يمكن تنزيل النشرات والبطاقات الإعلامية حول الخدمات باللغات التي ترجمتها إليها المناطق.",
                "في صفحة المواد تجد أولًا الوثائق المتوفرة بلغتك، ثم تلك المتوفرة بلغات أخرى فقط. ويُظهر كل ملف "
                "لغته وصيغته وحجمه، لتعرف ما الذي تقوم بتنزيله.\n\nيمكن للمناطق إضافة ترجمات جديدة في أي وقت.",
            ),
        },
    },
    {
        "slug": "laboratori-italiano-scuole-sesto-demo",
        "ambito": SESTO,
        "published_at": "2021-10-04T08:00",
        "text": {
            "it": (
                "Sesto San Giovanni: ripartono i laboratori di italiano nelle scuole (demo)",
                "Nei sette istituti comprensivi della città tornano i laboratori di alfabetizzazione e la "
                "mediazione linguistico-culturale.",
                "Gli istituti comprensivi Rovani, Breda, Dante Alighieri, Martiri, Frank, Pascoli e Marzabotto "
                "ospitano laboratori di prima e seconda alfabetizzazione e laboratori interculturali, dalla scuola "
                "dell'infanzia alla secondaria di primo grado.\n\nI mediatori affiancano gli insegnanti nei "
                "colloqui con le famiglie. Il progetto è seguito da un tavolo di lavoro del Comune con i dirigenti "
                "scolastici.",
            ),
            "en": (
                "Sesto San Giovanni: Italian workshops restart in schools (demo)",
                "The city's seven comprehensive schools bring back literacy workshops and cultural mediation.",
                "The Rovani, Breda, Dante Alighieri, Martiri, Frank, Pascoli and Marzabotto comprehensive schools "
                "host first- and second-level literacy workshops and intercultural workshops, from nursery to "
                "lower secondary school.\n\nMediators support teachers at meetings with families. A working group "
                "of the municipality and the head teachers follows the project.",
            ),
            "ar": (
                "سيستو سان جوفاني: عودة ورشات اللغة الإيطالية في المدارس (تجريبي)",
                "تعود ورشات تعليم القراءة والكتابة والوساطة اللغوية والثقافية إلى المجمّعات المدرسية السبعة في المدينة.",
                "تستضيف المجمّعات المدرسية Rovani وBreda وDante Alighieri وMartiri وFrank وPascoli وMarzabotto "
                "ورشات لتعليم اللغة في المستويين الأول والثاني وورشات بين الثقافات، من رياض الأطفال حتى المرحلة "
                "الإعدادية.\n\nيرافق الوسطاء المعلمين في اللقاءات مع العائلات. ويتابع المشروعَ فريقُ عمل من "
                "البلدية ومديري المدارس.",
            ),
        },
    },
    {
        "slug": "corso-mediatori-cremonese-demo",
        "ambito": CREMONA,
        "published_at": "2021-05-10T12:00",
        "text": {
            "it": (
                "Cremonese e Casalasco: un corso per nuovi mediatori linguistico-culturali (demo)",
                "Formazione con tirocinio per chi vuole lavorare come mediatore e un elenco unico dei mediatori "
                "per tutto il territorio.",
                "La rete guidata dall'Azienda Sociale Cremonese organizza un corso di formazione con tirocinio per "
                "mediatori linguistico-culturali. Chi lo completa entra nell'elenco unico dei mediatori del "
                "territorio, a cui si rivolgono scuole, servizi sociali e sanitari.\n\nSono previsti anche "
                "incontri per gli operatori sociali e sanitari su come lavorare in équipe con il mediatore.",
            ),
            "en": (
                "Cremonese and Casalasco: a course for new cultural mediators (demo)",
                "Training with an internship for those who want to work as mediators, and a single list of "
                "mediators for the whole area.",
                "The network led by Azienda Sociale Cremonese runs a training course with an internship for "
                "language and cultural mediators. Those who complete it join the area's single list of "
                "mediators, used by schools, social and health services.\n\nThere are also sessions for social "
                "and health workers on working as a team with a mediator.",
            ),
            "ar": (
                "منطقة كريمونا وكازالاسكو: دورة لوسطاء لغويين وثقافيين جدد (تجريبي)",
                "تدريب مع فترة تطبيقية لمن يرغب في العمل وسيطًا، وقائمة موحّدة للوسطاء في المنطقة كلها.",
                "تنظّم الشبكة التي تقودها Azienda Sociale Cremonese دورة تدريبية مع فترة تطبيقية للوسطاء "
                "اللغويين والثقافيين. ومن يُكملها يُدرج في القائمة الموحّدة لوسطاء المنطقة، التي تلجأ إليها "
                "المدارس والخدمات الاجتماعية والصحية.\n\nكما تُعقد لقاءات للعاملين في الخدمات الاجتماعية والصحية "
                "حول العمل كفريق مع الوسيط.",
            ),
        },
    },
    {
        "slug": "terre-di-inclusione-rete-demo",
        "ambito": CREMONA,
        "published_at": "2020-11-20T11:00",
        "text": {
            "it": (
                "«Terre di Inclusione»: la rete del Cremonese e Casalasco (demo)",
                "Quindici enti tra servizi, scuole, cooperative e centri per adulti lavorano insieme per l'inclusione.",
                "Il progetto locale «Terre di Inclusione: percorsi di dialogo nel Cremonese e Casalasco» riunisce "
                "l'Azienda Sociale Cremonese, capofila, il Consorzio Casalasco Servizi Sociali, l'ASST di Cremona, "
                "l'ATS Val Padana, quattro istituti scolastici, il CPIA di Cremona e diverse cooperative sociali."
                "\n\nLe azioni vanno dai corsi di italiano per adulti e ragazzi ai materiali informativi tradotti, "
                "fino al sostegno alle associazioni.",
            ),
            "en": (
                "“Terre di Inclusione”: the Cremonese and Casalasco network (demo)",
                "Fifteen organisations, among them services, schools, cooperatives and adult education centres, "
                "work together for inclusion.",
                "The local project “Terre di Inclusione: percorsi di dialogo nel Cremonese e Casalasco” brings "
                "together Azienda Sociale Cremonese as lead partner, Consorzio Casalasco Servizi Sociali, "
                "ASST Cremona, ATS Val Padana, four schools, the adult education centre (CPIA) of Cremona and "
                "several social cooperatives.\n\nIts actions range from Italian courses for adults and young "
                "people to translated information materials and support for associations.",
            ),
            "ar": (
                "«أراضي الإدماج»: شبكة منطقة كريمونا وكازالاسكو (تجريبي)",
                "خمس عشرة جهة من خدمات ومدارس وتعاونيات ومراكز لتعليم الكبار تعمل معًا من أجل الإدماج.",
                "يجمع المشروع المحلي «Terre di Inclusione» كلًّا من Azienda Sociale Cremonese بصفتها الجهة "
                "الرائدة، وConsorzio Casalasco Servizi Sociali، وASST Cremona، وATS Val Padana، وأربع مؤسسات "
                "تعليمية، ومركز تعليم الكبار (CPIA) في كريمونا، وعددًا من التعاونيات الاجتماعية.\n\nوتمتد "
                "أنشطته من دورات اللغة الإيطالية للكبار والشباب إلى المواد الإعلامية المترجمة ودعم الجمعيات.",
            ),
        },
    },
]


def _demo_file(material: Material, language: str, kind: str) -> ContentFile:
    if kind == "png":
        return ContentFile(demo_files.png(), name=f"{material.slug}-{language}.png")
    lines = [
        "Lab'Impact - Regione Lombardia",
        f"{material.title_it}",
        f"Materiale dimostrativo / demo material - lingua: {language}",
    ]
    return ContentFile(demo_files.pdf(lines), name=f"{material.slug}-{language}.pdf")


def _store_demo_file(material: Material, language: str, kind: str) -> dict:
    """Write a demo file under a fixed name, so that reloading the demo overwrites it.

    Upload names are random (content.uploads); a fixed one here keeps repeated loads, and
    databases rebuilt on the same media folder, from piling up copies.
    """
    content = _demo_file(material, language, kind)
    file_kind = uploads.inspect_upload(content)  # the same checks as an upload
    storage = MaterialFile._meta.get_field("file").storage
    name = f"materiali/demo/{material.slug}-{language}{file_kind.extension}"
    if storage.exists(name):
        storage.delete(name)
    return {"file": storage.save(name, content), "content_type": file_kind.content_type, "size": content.size}


def load_content_demo(*, ambiti: dict, categories: dict) -> None:
    """Upsert the demo materials (with generated files) and news; idempotent."""
    macro_azioni = {m.number: m for m in MacroAzione.objects.filter(plan__is_demo=False)}
    for item in MATERIALS:
        defaults = {
            "ambito": ambiti[item["ambito"]] if item["ambito"] else None,
            "macro_azione": macro_azioni.get(item["macro_azione"]),
            "is_published": True,
            "is_demo": True,
        }
        for code, (title, description) in item["text"].items():
            defaults[f"title_{code}"] = title
            defaults[f"description_{code}"] = description
        material, _ = Material.objects.update_or_create(slug=item["slug"], defaults=defaults)
        material.categories.set([categories[key] for key in item["categories"]])
        for language, kind in item["files"].items():
            material_file, _ = MaterialFile.objects.update_or_create(
                material=material, language=language, defaults=_store_demo_file(material, language, kind)
            )
            material_file.full_clean()
    for item in NEWS:
        defaults = {
            "ambito": ambiti[item["ambito"]] if item["ambito"] else None,
            "published_at": datetime.fromisoformat(item["published_at"]).replace(tzinfo=ROME),
            "is_published": True,
            "is_demo": True,
        }
        for code, (title, summary, body) in item["text"].items():
            defaults[f"title_{code}"] = title
            defaults[f"summary_{code}"] = summary
            defaults[f"body_{code}"] = body
        News.objects.update_or_create(slug=item["slug"], defaults=defaults)
