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
         "indlæggelser' giver kun typen for forebyggelse uden nærmere beskrivelse. Et navn giver kun en type, "
         "når dets egne ord siger den: 'video' og 'fremskudt' kodes kun, når kilden siger dem om netop denne "
         "indsats, aldrig ud fra navnet på et andet projekt, et delprojekt eller et projekt i samme spor. "
         "Opsporing af en sygdom (tuberkulose, demens) er ikke opsporing af sårbare borgere og giver ikke "
         "'Fremskudt visitation og opsporing'. Typen 'Udskrivelses-/målsamtale via video' er notatets egen "
         "type for udskrivelses- og målsamtaler; en 'telemedicinsk målsamtale' får den, men teksten siger "
         "ikke 'video', når kilden ikke gør.",
         (("kun navnet, fx 'GERI-kuffert'", "typen fra overskriften, og mærket 'Kun omtalt'"),
          ("'udgående', 'akutteam', 'behandling i eget hjem'", "Akutteam og behandling i eget hjem"),
          ("'følges hjem', 'følgehjem'", "Følgehjem-team"),
          ("'modtagebesøg', 'inden for 24 timer' ved kommunal sygeplejerske", "Modtagebesøg"),
          ("'via video', 'udskrivningsmøde via video', 'telemedicinsk målsamtale'",
           "Udskrivelses-/målsamtale via video"),
          ("'tværsektorielle udskrivelsessamtaler' uden 'video'", "Tværsektoriel koordination"),
          ("'fremskudt visitator', 'fremskudt visitation', 'opsporing af borgere, som ikke er kendt'",
           "Fremskudt visitation og opsporing"),
          ("'visitation til hospital og kommunale tilbud' uden 'fremskudt'", "ikke Fremskudt visitation"),
          ("'opsporing af tuberkulose', 'opsporing … af demens'", "ikke Fremskudt visitation; typen for "
                                                                  "det, indsatsen ellers gør"))),
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
         "'kvalitetsløft' nævner intet udfald. Et tal for, hvor mange der deltager, er screenet, inkluderet "
         "eller har fået indsatsen, er udfaldet 'Rækkevidde' – også når tallet er en andel eller sammenlignes "
         "med andre steder. Det er ikke et resultat om en effekt: det har retningen 'Uklar retning', vises som "
         "'Optælling, ikke en effekt' og tæller ikke, når mærket 'Kun omtalt', svaret på 'Effekt målt', "
         "resuméet og det stærkeste design findes.",
         (("'genindlægges', 'genindlæggelser'", "Genindlæggelser"),
          ("'tryghed', 'tilfredshed', 'sammenhæng' hos borgeren", "Borgerens og pårørendes oplevelse"),
          ("'deltager 15.000 patienter', 'ca. 200 hjemløse blev screenet', '17,4% screenes', et antal "
           "gennemførte besøg", "Rækkevidde")),
         "modellen kræver 'Uklar retning' ved udfaldet 'Rækkevidde'; mærket 'Kun omtalt', kravet bag 'Ja' og "
         "'Delvist', resuméet og det stærkeste design regner kun med resultater om en effekt (kb.model "
         "Initiative.effects)"),
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
         "eller nævner, hvad der er sammenlignet med. 'Registertal uden justering' er to samtidige grupper "
         "fra samme register, der adskiller sig ved indsatsen (med og uden), uden at de er gjort "
         "sammenlignelige. Sættes projektets eget tal over for en gruppe, der ikke er en kontrolgruppe – en "
         "anden population eller et andet år, fx hele hospitalet året før – eller kalder kilden selv "
         "sammenligningen en indikation, er designet 'Tal mod et referencetal': det sammenligner og kræver "
         "derfor tal eller sammenligning, men det er hverken registertal eller en målt forbedring, og "
         "retningen er 'Uklar retning'.",
         (("'randomisering', 'RCT'", "Randomiseret forsøg"),
          ("'case-kontrol', 'kontrolgruppe', 'sammenligningsgruppe'", "Sammenligning med kontrolgruppe"),
          ("'tal fra BI-portalen' for patienter med og uden indsatsen, uden justering",
           "Registertal uden justering"),
          ("'egen kontrolgruppe', 'retrospektivt follow-up studie'", "Før-efter eller egen kontrol"),
          ("'Indikation'; projektets tal sat over for 'I 2018 blev 17 % af de +65-årige … udskrevet fra HEV' "
           "eller for hele regionen", "Tal mod et referencetal"),
          ("'rundspørge', 'spørgeskema', 'interview'", "Rundspørge eller interview"),
          ("'oplever', 'tilbagemeldinger', 'bidrager til'", "Vurdering og erfaring"),
          ("'har medført', 'viste gode resultater' uden design og tal", "Design ikke oplyst"),
          ("'ikke målt', 'monitoreres ikke', 'foreligger ikke data'", "Ikke målt")),
         "valideringen afviser et design fra 'Før-efter eller egen kontrol' og op uden 'value' eller "
         "'comparison'; modellen kræver 'Uklar retning' ved 'Tal mod et referencetal'"),
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
         "forskellen og den relative risiko, men ikke mod et befolkningstal; en beregnet effekt skrives aldrig "
         "i posten.",
         (("'270 mod 261 patienter'", "n: 270 og sammenligningens n: 261"),
          ("'1330 patienter i alt'", "ikke-oplyst")),
         "valideringen kræver antallet i hver gruppe eller 'ikke-oplyst' ved designet 'Randomiseret forsøg' på "
         "et udfald i gruppen 'Indlæggelse og død' og ved to procenttal"),
    Rule(("results", "direction"),
         "Retningen er kildens egen, og de samme ord giver den samme retning i alle poster. 'Forbedring' og "
         "'Forværring' kræver, at kilden sammenligner – med tal mod en sammenligning eller med ord som færre, "
         "reduceret, øget, højere og lavere. Siger kilden, at en forskel ikke er signifikant, er retningen "
         "'Ingen forskel', også når den nævner en tendens eller et tal, der peger én vej; tendensen og tallet "
         "står i teksten. Tager kilden selv forbehold ('tendens', 'numerisk', 'indikation') uden at sige noget "
         "om signifikans, er retningen 'Uklar retning', og forbeholdet står i teksten. Samler ét resultat "
         "flere grupper eller mål, og er kun nogle af dem signifikant forskellige fra sammenligningen, er "
         "retningen 'Blandet'. 'Gode resultater', 'tyder positivt' og 'tilfredshed' uden sammenligning giver "
         "'Uklar retning'.",
         (("en signifikant lavere risiko eller signifikant bedre værdi", "Forbedring"),
          ("'reducerede', 'færre', 'øget overlevelse', '-18 %' (uden ord om signifikans)", "Forbedring"),
          ("'ingen signifikant effekt', 'ingen signifikant forskel', 'ikke påvist en forskel', 'kunne ikke "
           "påvises', 'i median 1 dag i begge grupper'", "Ingen forskel"),
          ("en lavere risiko eller en tendens, som kilden kalder ikke signifikant", "Ingen forskel"),
          ("'tendens til' eller 'numerisk reduktion' uden ord om signifikans", "Uklar retning"),
          ("'Indikation om en mærkbar effekt'", "Uklar retning (og designet 'Tal mod et referencetal')"),
          ("én gruppe eller ét mål signifikant bedre, en anden gruppe eller et andet mål ikke", "Blandet"),
          ("'gode resultater', 'tyder positivt'", "Uklar retning")),
         "modellen kræver 'Uklar retning' ved designet 'Ikke målt', ved 'Tal mod et referencetal' og ved "
         "udfaldet 'Rækkevidde'"),
    Rule(("measurement", "effect_measured"),
         "'Ja' kræver et resultat, der er målt mod en sammenligning; 'Delvist' et resultat, der er målt "
         "(fra rundspørge og op), men uden sammenlignelig kontrolgruppe eller kun for en del af udfaldene. "
         "Et tal for rækkevidde er ikke en måling af effekten, og 'Ja' kræver desuden, at resultatet har en "
         "retning. Evaluerer projektet stadig, eller kalder kilden det et forskningsprojekt eller "
         "forskningsprogram, der er i gang, er svaret 'Afventer' med årsagen 'Resultater afventer' – også når "
         "kilden ikke siger, hvad der måles, eller hvornår resultaterne kommer. Er noget allerede målt, "
         "gælder 'Ja' eller 'Delvist', og det ventede står som et resultat med designet 'Ikke målt'. Ellers "
         "er svaret 'Nej' – også når kilden fortæller om effekter uden at sige, hvordan de er målt – med "
         "kildens begrundelse. Har et forsøg målt effekten mod en sammenligning, men kunne redaktionen ikke "
         "læse resultaterne, er svaret 'Ja' med årsagen 'Resultaterne er ikke læst' og ingen tal eller retning. "
         "'Nej' og 'Afventer' står aldrig ved et målt resultat om en effekt (fra rundspørge "
         "og op): et mærke om, at effekten ikke er målt, må ikke stå ved siden af en linje, der begynder 'Målt'. "
         "Er kun en rundspørge gennemført, er svaret 'Delvist'; er noget målt og mere på vej, er svaret "
         "'Delvist' eller 'Ja' med årsagen 'Resultater afventer'.",
         (("'forventes offentligt', 'forventes udarbejdet', 'endnu ikke validerede'", "Afventer"),
          ("'et nationalt forskningsprojekt' (i perioden 2017-2019), 'Forskningsprojektet …', "
           "'Forskningsprogram' blandt igangværende initiativer", "Afventer"),
          ("'gennemføres i samarbejde med DEFACTUM en evaluering af de enkelte klyngeprojekter'",
           "Afventer for klyngeprojekterne"),
          ("'ikke foretaget en måling', 'monitoreres ikke'", "Nej")),
         "valideringen afviser 'Ja' uden et resultat om en effekt fra 'Før-efter eller egen kontrol' og op med "
         "en retning (undtagen med årsagen 'Resultaterne er ikke læst'), 'Delvist' uden et fra 'Rundspørge "
         "eller interview' og op og 'Nej' eller 'Afventer' med et; modellen afviser 'Nej' med årsagen "
         "'Resultater afventer' og 'Afventer' uden den"),
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
