"""The coding manual: for every coded field, the rule and the words in the Danish sources that decide it.

The method page prints it (``background.method``). Each field's Danish title and its allowed values come
from the model and the vocabularies, so the manual never lists a value the validator would refuse; where
a rule is mechanical, the manual says which check holds it (the model's validators and ``kb.loader``).
Its version is ``model.MANUAL_VERSION``: raise it when a rule changes, and records say which version they
were last checked against (``review``).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

from .model import Initiative, is_model, unwrap


@dataclass(frozen=True)
class Rule:
    field: tuple[str, ...]  # the field's path in a record; a list's items are passed through
    rule: str
    words: tuple[tuple[str, str], ...] = ()  # (the source's words, what they give)
    check: str = ""  # the check that holds the rule, if one can
    title: str = ""  # for a field the model gives no title


GENERAL = (
    "Kilden bestemmer. En kodning må aldrig være stærkere end kildens ord: når kilden ikke siger det, "
    "koder vi det ikke, og posten siger, hvad kilden ikke oplyser.",
    "Teksten er skrevet med egne ord, og hvert tal gengives præcis, som kilden giver det, med enhed, "
    "sammenligning, periode og afsnit.",
    "Redaktionens tilføjelser markeres. Almen viden, som kilden ikke selv giver – fx en forkortelse skrevet "
    "ud (TOBS) eller en forklaring af et fagudtryk – skrives kun med, hvis den hjælper læseren, og så med "
    "'(redaktionens tilføjelse)' lige efter.",
    "Læseren ser dokumenternes titler, aldrig deres id'er fra data/documents.yml: skriv 'notatet om "
    "tidlig opfølgning efter udskrivelse', ikke dokumentets id.",
)

RULES = (
    Rule(("intervention", "types"),
         "Typen kommer af det, kilden beskriver, at indsatsen gør – én type for hver del, kilden beskriver. "
         "Giver kilden kun navnet, får indsatsen ingen type ud over det, overskriften over navnet og navnets "
         "egne ord siger; et navn som 'GERI-kuffert' under 'Indsatser relateret til forebyggelse af "
         "indlæggelser' giver kun typen for forebyggelse uden nærmere beskrivelse.",
         (("kun navnet, fx 'GERI-kuffert'", "typen fra overskriften, og mærket 'Kun omtalt'"),
          ("'udgående', 'akutteam', 'behandling i eget hjem'", "Akutteam og behandling i eget hjem"),
          ("'følges hjem', 'følgehjem'", "Følgehjem-team"),
          ("'modtagebesøg', 'inden for 24 timer' ved kommunal sygeplejerske", "Modtagebesøg"))),
    Rule(("target_group", "diagnoses"),
         "En diagnose kodes, når kilden nævner den for målgruppen – også når kilden nævner flere projekter "
         "under ét, fx Horsens' følge hjem-projekter for 'ældre medicinske patienter og patienter med KOL og "
         "hoftenær fraktur'. Så kan læseren finde hvert projekt under sin diagnose.",
         (("'patienter med KOL', 'KOL-patienter'", "KOL"),
          ("'hoftenær fraktur', 'hoftenært lårbensbrud', 'hoftebrud'", "Hoftenær fraktur"))),
    Rule(("intervention", "actors"),
         "Aktørerne er alle, kilden nævner som dem, der udfører eller deltager i indsatsen – også når de "
         "selv er indsatsen, som de fast tilknyttede læger på plejecentre. Har ordlisten ingen term for en "
         "aktør, siger teksten, hvem det er; nævner kilden ingen aktører, står listen tom.",
         (("'læge fra hospitalet'", "Hospitalslæge"), ("'egen læge', 'almen praksis'", "Praktiserende læge"),
          ("'hjemmesygeplejersken', 'kommunal sygeplejerske'", "Hjemmesygeplejerske"))),
    Rule(("results", "outcome"),
         "Udfaldet er det, kilden siger, at resultatet eller forventningen handler om. Siger kilden, at der "
         "er eller kommer resultater, men ikke hvilke, er udfaldet 'Udfald ikke angivet'. Et ord som "
         "'kvalitetsløft' nævner intet udfald.",
         (("'genindlægges', 'genindlæggelser'", "Genindlæggelser"),
          ("'tryghed', 'tilfredshed', 'sammenhæng' hos borgeren", "Borgerens og pårørendes oplevelse"))),
    Rule(("results", "kind"),
         "En forventning er ikke et resultat. Siger kilden, at en virkning forventes, eller vurderer den på "
         "forhånd, at indsatsen vil virke, er det en forventning: den vises som 'Forventning (ikke målt)', "
         "har designet 'Ikke målt' og tæller ikke med i evidenskortet, effektfiguren, resuméerne eller "
         "mærkerne. Det, projektet har oplevet eller vurderet bagefter, er et resultat med designet "
         "'Vurdering og erfaring'.",
         (("'forventes', 'det forventes, at … kan'", "forventning"),
          ("'vurderes vil', 'vurderes at kunne'", "forventning"),
          ("'tror på', 'der er en idé om', 'det er antagelsen'", "forventning"),
          ("'oplever', 'det er oplevelsen', 'tilbagemeldinger', 'fornemmelse'", "resultat (Vurdering og "
                                                                               "erfaring)")),
         "modellen afviser en forventning med et andet design end 'ikke-maalt'; tabellerne til analyserne "
         "(data.results) og alle resuméer udelader forventninger"),
    Rule(("results", "design"),
         "Designet er det, kilden siger om, hvordan resultatet er fundet. Et pilotprojekt alene er ikke et "
         "design: 'et pilotprojekt viste gode resultater' uden tal eller sammenligning er 'Design ikke "
         "oplyst'. Et design, der sammenligner (Før-efter og stærkere), kræver, at resultatet viser sit tal "
         "eller nævner, hvad der er sammenlignet med.",
         (("'randomisering', 'RCT'", "Randomiseret forsøg"),
          ("'case-kontrol', 'kontrolgruppe', 'sammenligningsgruppe'", "Sammenligning med kontrolgruppe"),
          ("'tal fra BI-portalen' og registre uden justering", "Registertal uden justering"),
          ("'egen kontrolgruppe', 'retrospektivt follow-up studie'", "Før-efter eller egen kontrol"),
          ("'rundspørge', 'spørgeskema', 'interview'", "Rundspørge eller interview"),
          ("'oplever', 'tilbagemeldinger', 'bidrager til'", "Vurdering og erfaring"),
          ("'har medført', 'viste gode resultater' uden design og tal", "Design ikke oplyst"),
          ("'ikke målt', 'monitoreres ikke', 'foreligger ikke data'", "Ikke målt")),
         "valideringen afviser et design fra 'Før-efter eller egen kontrol' og op uden 'value' eller "
         "'comparison'"),
    Rule(("results", "window"),
         "Et resultat om indlæggelser, genindlæggelser, dødelighed eller liggetid (udfaldene i gruppen "
         "'Indlæggelse og død') siger, hvad der er talt: tidsvinduet og hvorfra det regnes, hvilke hændelser "
         "der tæller, nævneren, datakilden, om tallet er justeret, og hvordan sammenligningsgruppen er fundet. "
         "Hvert felt tager kildens ord; siger kilden det ikke, er svaret 'ikke-oplyst', og siden viser 'ikke "
         "oplyst i kilden'. Et vindue, der kun er underforstået, er ikke oplyst. Uger regnes om til dage.",
         (("'inden for 30 dage efter udskrivelsen'", "30 dage efter udskrivelsen"),
          ("'26 uger'", "182 dage, med kildens ord i tidsvinduets tekst"),
          ("'akut genindlæggelse', 'uplanlagt genindlæggelse'", "kun akutte eller uplanlagte"),
          ("'register-based', 'Landspatientregistret'", "registerdata"),
          ("'elektroniske patientjournaler', 'tal fra BI-portalen'", "lokale data")),
         "valideringen kræver felterne ved hvert målt resultat på et udfald i gruppen 'Indlæggelse og død' "
         "(ikke ved en forventning eller designet 'Ikke målt')"),
    Rule(("results", "comparison", "kind"),
         "Sammenligningen er 'randomiseret' kun ved lodtrækning; 'samtidig', når kontrolgruppen er fra samme "
         "periode, men fordelt på anden vis (bopælskommune, indlæggelsesdag); 'historisk' ved en tidligere "
         "periode; 'befolkning' ved et tal for hele hospitalet, regionen eller landet.",
         (("'randomised', 'lodtrækning'", "randomiseret"),
          ("'quasi-randomised' efter indlæggelsesdag, 'fordelt efter bopælskommune'", "samtidig kontrolgruppe, "
                                                                                       "ikke randomiseret"),
          ("'året før', 'sammenlignet med 2006-2007'", "historisk sammenligning"),
          ("'alle +65-årige udskrevet fra hospitalet'", "sammenlignet med et befolkningstal")),
         "valideringen kræver 'randomiseret' ved designet 'Randomiseret forsøg', og en sammenligning af slagsen "
         "'ingen' har intet tal"),
    Rule(("results", "group_sizes"),
         "Antallet i hver gruppe ('n' og sammenligningens 'n') står, når kilden giver det; giver den kun det "
         "samlede antal, står 'ikke-oplyst' her. Af to procenttal og antallet i hver gruppe beregner siden "
         "forskellen og den relative risiko; en beregnet effekt skrives aldrig i posten.",
         (("'270 mod 261 patienter'", "n: 270 og sammenligningens n: 261"),
          ("'1330 patienter i alt'", "ikke-oplyst")),
         "valideringen kræver antallet i hver gruppe eller 'ikke-oplyst' ved designet 'Randomiseret forsøg' på "
         "et udfald i gruppen 'Indlæggelse og død' og ved to procenttal"),
    Rule(("results", "direction"),
         "Retningen er kildens egen. 'Forbedring' og 'Forværring' kræver, at kilden sammenligner – med tal "
         "mod en sammenligning eller med ord som færre, reduceret, øget, højere og lavere. 'Gode "
         "resultater', 'tyder positivt' og 'tilfredshed' uden sammenligning giver 'Uklar retning'.",
         (("'ingen signifikant effekt', 'ikke påvist en forskel'", "Ingen forskel"),
          ("'reducerede', 'øget overlevelse', '-18 %'", "Forbedring"),
          ("'gode resultater', 'tyder positivt'", "Uklar retning")),
         "modellen kræver 'Uklar retning' ved designet 'Ikke målt'"),
    Rule(("measurement", "effect_measured"),
         "'Ja' kræver et resultat, der er målt mod en sammenligning; 'Delvist' et resultat, der er målt "
         "(fra rundspørge og op), men uden sammenlignelig kontrolgruppe eller kun for en del af udfaldene. "
         "Evaluerer projektet stadig, er svaret 'Afventer'. Ellers er svaret 'Nej' – også når kilden "
         "fortæller om effekter uden at sige, hvordan de er målt – med kildens begrundelse.",
         (("'forventes offentligt', 'forventes udarbejdet', 'endnu ikke validerede'", "Afventer"),
          ("'ikke foretaget en måling', 'monitoreres ikke'", "Nej"))),
    Rule(("blueprint", "steps", "phase"),
         "Fasen er den, kildens tidsord peger på; et trin, der strækker sig over flere faser, ligger i den "
         "fase, hvor det begynder, og forbeholdet siger det. Behandlingsansvaret er ikke et trin: det står i "
         "sit eget felt med de faser, det dækker. Siger kilden ikke, hvornår et trin sker, er "
         "fasen redaktionens placering (se forløbets placering nedenfor).",
         (("'1. eller 2. dagen, hvor borgeren er indlagt'", "Indlæggelse"),
          ("'ved udskrivelse', 'i forbindelse med udskrivelse'", "Udskrivelse"),
          ("'inden for 24 timer', 'det første døgn'", "Første døgn"),
          ("'24-48 timer', '2. dagen efter udskrivelse', 'den 1. uge'", "De første to uger"),
          ("'løbende', 'mindst en gang om ugen', 'hver 14. dag'", "Opfølgning")),
         title="Forløbets fase"),
    Rule(("blueprint", "placement"),
         "'kilde', når kilden siger, hvornår hvert trin sker; 'udledt', så snart blot ét trins fase er "
         "redaktionens placering. Blueprintets overskrift siger det til læseren."),
    Rule(("blueprint", "steps", "lane"),
         "Banen er sektoren for den, der udfører trinnet; MedCom-meddelelser, lister, apps og telemedicin "
         "ligger i støttesystemerne.",
         check="valideringen kræver, at et trin med en aktør ligger i aktørens bane", title="Forløbets bane"),
    Rule(("blueprint", "steps", "basis"),
         "'kilde', når kilden beskriver trinnet; 'udledt', når det er redaktionens slutning, fx at et trin "
         "må komme før et andet, eller hvem der må stå for det.",
         title="Trinnets grundlag"),
    Rule(("blueprint", "steps", "stage"),
         "Et trin, kilden anbefaler eller beskriver som noget, der er ved at blive lavet, tegnes med sit "
         "stadie, så det ikke læses som en del af det afprøvede forløb; sammenligningen af blueprints "
         "regner det ikke med.",
         (("'det anbefales', 'anbefaler udarbejdelse af'", "Anbefalet, ikke afprøvet"),
          ("'arbejdes der på', 'fokus på at udarbejde', 'under udvikling'", "Under udvikling, ikke i brug")),
         check="valideringen kender kun de tre stadier"),
)


def field_title(rule: Rule) -> str:
    """The Danish title the model gives the rule's field (a list's items are passed through)."""
    path = rule.field
    tp, info = Initiative, None
    for name in path:
        tp = unwrap(tp)[0]
        if typing.get_origin(tp) is list:
            tp = unwrap(typing.get_args(tp)[0])[0]
        if not is_model(tp) or name not in tp.model_fields:
            raise KeyError(f"kodemanualen nævner et felt, modellen ikke har: {'.'.join(path)}")
        info = tp.model_fields[name]
        tp = info.annotation
    return info.title or rule.title or path[-1]
