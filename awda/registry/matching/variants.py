"""Curated equivalences of common given and family names (general knowledge, not mined from any
data set): French, English, Portuguese and Arabic transliterations of the same name as written in
West Africa, Central Africa, the Sahel and the Maghreb.

The phonetic rules (`phonetic.py`) already bring most spellings together (Diallo / Jallow, Keita /
Keïta, Coulibaly / Kulibali, ...); this table adds what rules cannot know: Fatoumata / Fatima /
Fatou, Boubacar / Abubakar, Lamine / Al-Amin, Youssouf / Yusuf, the Gambian and Sierra Leonean
forms of Wolof and Mandinka family names, etc.

Each line is one group; the first spelling names the group. A name may appear in one group only.

`COMMON` lists names borne by a large share of the people in the caseload (West African and
Sudanese/Chadian registries): agreement on them weighs less. The values are rough relative
frequencies of the name among given (or family) names, used only when no batch frequencies are
given.
"""

GROUPS = """
mohamed mohammed muhammad muhammed mohamad mohammad mouhamed muhamad mohmed mahamat mahamed
    mouhammad mohamud mahammad
mamadou mamadu momodou modou mohamadou mohammadou mouhamadou mahamadou
ahmed ahmad ahmat ahmet
amadou ahmadou hamadou ahmadu amadu
mahmoud mahmud mahmood mamoud mahmut
moustapha mustapha mustafa moustafa mostafa
abdoulaye abdullahi abdallah abdullah abdulai abdoulahi abdalla abdellah abdulahi abdulla
    abdala abdoulay abdoulai abdallahi
abdourahmane abderrahmane abdelrahman abdulrahman abdurrahman abdourahamane abdramane
    abdrahmane abdourahman abderahmane abdirahman abderrahman abdelrahmane
abdelkader abdulkadir abdoulkadri abdulqadir abdelkadir abdoulkader abdelkadir
abdelaziz abdulaziz abdoulaziz abdulazeez abdelaaziz
abdelkarim abdelkerim abdoulkarim abdulkarim abdulkareem abdoulkarim
abdou abdu abdo
ousmane usman othmane osman uthman ousman othman otmane usmane osmane
oumar omar umar omer oumarou umaru omaru
boubacar abubakar aboubacar abubakr boubakar abubacarr aboubakar abakar aboubakr abubakarr
    boubakr
ibrahima ibrahim brahim ebrahim ibrahimu
moussa musa mousa moses mussa
souleymane sulayman suleiman sulaiman souleimane suleyman sleiman soulaymane suleman
youssouf yusuf youssef yousef yousif yussuf yusif yousouf yusufu youcef
idrissa idris idriss idrisa edriss
lamine alamin amine elamine alamine laamin lamin
ismael ismail ismaila smail ismahil ismaele
issa isa
ali aly alie
aliou alieu aliyu alioune
saliou saliu salihou
alhassane alhassan alassane lassana lassina alasan
hassan hasan hassane hasane
hussein hussain houssein hissein husein hussen houssen
adama adamou adamu
adam adem adoum
yaya yahya yahia yahaya
bakary bakari
seydou seidou seydu saidou saidu
cheikh sheikh shaykh cheick sheik cheikhou shehu
mariama mariam maryam meriem mariem mariame mariyam maryama mariatou mariatu
fatoumata fatima fatimata fatou fatuma fatoumatou fatime fatma fatimatou fatouma
aminata aminatou amina aminatu
aissatou aisatou aissata aisha aicha aichatou aishatu aysha aishat achta aissa
kadiatou khadija khadidja kadija hadiza hadidja kadijatou khadijatou kadidia
hawa hawaou awa hauwa
oumou umu ummu
ramatoulaye ramata ramatou rahmatou
nafissatou nafisatou nafisa nafissa nafisatu
zeinab zainab zeynab zaynab zenab
halima halimatou halime alima
salimatou salamatou salimata
djenabou dienabou jenaba jenabou
ndiaye njie ndiay ndjaye
diop jobe jop diope
sow sowe
ba bah baa
barry bary bari
diallo jallow jalloh dialo djallo jalo
balde baldeh
camara kamara kamarah
conde konde condeh
cisse sisse cissey sise ceesay sesay sisay cisay
toure ture tourey touray turay
traore trawally traoure trawalley
keita keyta
kone kon
kane kan
coulibaly kulibali kulibaly koulibaly
ouattara wattara watara
ouedraogo wedraogo
sylla silla sila
fofana fofanah
kouyate kuyateh kouyateh kuyate
sanneh sane sanne
kante kanteh
drame drammeh
konate konateh
doumbouya dumbuya
doumbia dumbia
bangura bangoura
nour noor nur
"""

# Rough relative frequencies of very common names (given and family names together) in West
# African / Sahelian caseloads: general knowledge, for compare() without batch frequencies.
COMMON = {
    # given names
    "mohamed": 0.06,
    "mamadou": 0.05,
    "ibrahima": 0.03,
    "abdoulaye": 0.03,
    "moussa": 0.025,
    "ousmane": 0.025,
    "fatoumata": 0.03,
    "aminata": 0.02,
    "mariama": 0.02,
    "aissatou": 0.02,
    "kadiatou": 0.02,
    "amadou": 0.02,
    "boubacar": 0.02,
    "oumar": 0.015,
    "souleymane": 0.015,
    "adama": 0.015,
    "ali": 0.02,
    "ahmed": 0.02,
    "hassan": 0.015,
    "adam": 0.015,
    "issa": 0.01,
    "ismael": 0.01,
    "lamine": 0.01,
    "seydou": 0.01,
    "bakary": 0.01,
    "youssouf": 0.01,
    "idrissa": 0.01,
    "alhassane": 0.01,
    "hawa": 0.015,
    "oumou": 0.01,
    # family names
    "diallo": 0.05,
    "bah": 0.03,
    "barry": 0.025,
    "sow": 0.02,
    "camara": 0.03,
    "traore": 0.03,
    "coulibaly": 0.02,
    "kone": 0.02,
    "toure": 0.02,
    "cisse": 0.015,
    "keita": 0.015,
    "conde": 0.015,
    "sylla": 0.01,
    "diop": 0.015,
    "ndiaye": 0.015,
    "fall": 0.01,
    "sy": 0.01,
    "ba": 0.01,
    "ouedraogo": 0.015,
    "ouattara": 0.01,
    "sesay": 0.01,
    "bangura": 0.01,
    "jallow": 0.01,
    "fofana": 0.01,
    "kamara": 0.01,
    "balde": 0.01,
}

# Particles written before a name, joined to the next word ("Al-Amin" -> "alamin",
# "Abdel Rahman" -> "abdelrahman", "Abu Bakr" -> "abubakr").
PARTICLES = frozenset(["al", "el", "ul", "abd", "abdel", "abdul", "abdoul", "abu"])
# "son of" / "daughter of": often left out ("Ould Ahmed" / "Ahmed", "Ben Ali" / "Benali" is a
# name of its own), so dropped before a following word.
PATRONYMICS = frozenset(["ould", "wuld", "ben", "bin", "ibn", "bint", "mint", "ag"])
