"""Word lists a linguist would write for English news attribution; no corpus names in here."""

import re

# Verbs of saying, writing, asserting and reporting that take a reported clause.
STRONG_SPEECH_LEMMAS = frozenset("""
say tell add state announce declare explain write tweet post reply respond answer ask
admit acknowledge concede confess confirm deny insist argue claim contend maintain assert
warn caution urge suggest note observe remark comment mention recall recount reveal disclose
stress emphasize emphasise point predict promise pledge vow complain lament boast testify
report inform assure reiterate repeat agree disagree concur counter retort quip joke
describe estimate conclude indicate allege charge accuse recommend propose advise
""".split())

# Attribution verbs beyond speech (PolNeAR-style attribution of beliefs and findings).
BELIEF_LEMMAS = frozenset("""
believe think feel expect hope fear worry doubt know understand show find reckon
""".split())

# Speech acts whose content can be an object or an infinitive rather than a clause:
# "called for an inquiry", "urged voters to stay home", "criticized the plan".
OBJECT_CUE_LEMMAS = frozenset("""
call cite urge criticize criticise attack question condemn praise blast reject accuse endorse
demand propose promise pledge vow offer describe mention discuss reference echo deny acknowledge
announce recommend want plan seek decline refuse support oppose dismiss defend blame applaud
welcome slam mock challenge invite warn ask tell advise encourage request
""".split())

# Nouns that report speech or belief when a that-clause follows: "his claim that ...".
NOUN_CUE_LEMMAS = frozenset("""
claim report statement assertion argument suggestion warning promise pledge announcement allegation
accusation insistence admission belief view conclusion finding contention charge comment remark
testimony acknowledgment acknowledgement prediction threat vow
""".split())

CUE_LEMMAS = STRONG_SPEECH_LEMMAS | BELIEF_LEMMAS | OBJECT_CUE_LEMMAS

# Verbs whose object is the one addressed: "told reporters", "assured the committee". Without
# a clause or an infinitive after it ("told reporters to wait") nothing is reported.
ADDRESSEE_LEMMAS = frozenset({"tell", "inform", "assure", "remind", "notify", "brief"})
# What is told rather than who: "told a joke", "told the truth".
TOLD_THINGS = frozenset({"story", "tale", "joke", "truth", "lie", "secret", "news", "anecdote", "fib"})

# Raising verbs: "the plan appears to clash with ..." is the writer's reading, not the plan's;
# their subject gets no role from them, so it is not a source.
RAISING_LEMMAS = frozenset({"appear", "seem"})

# "in a statement", "in an interview" carry the cue in a noun; the clause subject speaks.
NOMINAL_CUE_PREPS = frozenset({"in"})
# Adverbs that mark a clause as hearsay from an unnamed source ("has reportedly taken heat").
HEARSAY_ADVERBS = frozenset({"reportedly", "purportedly", "reputedly"})
# Documents that report findings: "in a new poll, 18 percent ..." has the poll as its source.
FINDING_NOUNS = frozenset({"poll", "survey", "study", "report", "analysis", "census", "audit", "review", "tally"})

# Pronouns by person/number/gender, for agreement in resolution.
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
NEUTER_PRONOUNS = frozenset({"it", "its", "itself"})
FIRST_SECOND_PRONOUNS = frozenset({"i", "me", "my", "we", "us", "our", "you", "your"})
PERSONAL_PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS | PLURAL_PRONOUNS | FIRST_SECOND_PRONOUNS
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# plural quantifiers standing alone as a subject, "all of them say", "some argue", "many believe",
# and demonstratives: "those in favor of punishment said", "those who knew him say"
QUANTIFIER_PRONOUNS = frozenset({"all", "some", "many", "most", "both", "others", "several", "few", "those"})

MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father", "brother", "sheikh", "abu"})
FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "lady", "queen", "princess", "sister", "umm",
                           "dame", "madam"})
# Titles and honorifics that precede a name and are not part of it.
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev", "reverend",
    "president", "senator", "sen", "rep", "representative", "gov", "governor", "mayor", "judge", "justice",
    "gen", "general", "col", "colonel", "capt", "captain", "lt", "sgt", "sergeant", "officer", "minister",
    "prime", "secretary", "chancellor", "king", "queen", "prince", "princess", "sheikh", "imam", "father",
    "pope", "ambassador", "commissioner", "chief", "director", "speaker", "leader", "chairman", "chairwoman",
    "spokesman", "spokeswoman", "spokesperson", "candidate", "nominee", "former", "vice", "deputy", "mrs.",
    "mr.", "dr.", "ms.", "prof.", "gen.", "gov.", "sen.", "rep.", "rev.", "st.", "councillor", "councilman",
    "councilwoman", "councilor", "alderman", "sheriff", "inspector", "detective", "superintendent", "constable",
    "lieutenant", "major", "admiral", "bishop", "rabbi", "cardinal", "dean", "coach", "chef", "fire",
})
# Person nouns: heads of descriptions that can speak ("the medic", "a resident", "officials").
GROUP_NOUNS = frozenset({
    "people", "locals", "residents", "officials", "sources", "critics", "experts", "analysts", "witnesses",
    "activists", "supporters", "opponents", "voters", "lawmakers", "leaders", "members", "aides", "advisers",
    "advisors", "observers", "police", "authorities", "doctors", "researchers", "scientists", "investigators",
    "prosecutors", "democrats", "republicans", "some", "others", "many", "polls", "surveys", "reports",
})
# Words that begin Arabic-style names (kunya, nasab): they make the following word a name.
NAME_PARTICLES = frozenset({"abu", "umm", "ibn", "bin", "bint", "al", "el", "abd", "abdul"})

# --------------------------------------------------------------------------- kinds of attribution
# The Penn Discourse Treebank sorts attributions by the type of the source's relation to the
# content: communication (speech), propositional attitude and factives (thought), and control
# (intent); stance is the PDTB-external remainder, a view of an entity with no content reported.
# Verb classes after Levin (1993): 37 verbs of communication, 33 judgment verbs, 29.5 "conjecture"
# and 30 perception/cognition verbs, and the commissives and volitionals of control.

# Communication (Levin 37: say, tell, manner of speaking, instrument of communication, talk,
# complain, advise; reporting verbs of news style): speech whatever the frame.
COMMUNICATION_LEMMAS = (STRONG_SPEECH_LEMMAS | frozenset("""
shout yell scream cry whisper mutter murmur mumble grumble snap bark growl sigh stammer exclaim
email text phone cable wire telegraph radio message tweet retweet blog post write publish print
talk speak chat discuss converse brief notify inform relay convey communicate signal
ask question query inquire enquire wonder demand request beg plead implore appeal petition
order command instruct direct tell urge encourage invite challenge dare call
announce proclaim declare broadcast publicize publicise unveil issue release
claim assert allege aver affirm avow contend maintain insist protest swear attest certify testify
complain grouse gripe moan whine object lament bemoan decry
advise counsel caution warn alert remind
interject interrupt chime explain elaborate clarify
reply respond answer retort rejoin counter rebut riposte
confirm deny dispute contradict correct acknowledge admit concede confess grant
recount relate narrate describe detail outline summarize summarise characterize characterise
predict forecast project estimate guess
suggest propose recommend hint imply intimate
say quip joke tease jest boast brag gloat
cite quote mention note observe remark comment reference voice introduce
threaten promise pledge vow guarantee rule decree
""".split())) - {"conclude"}  # "concluded that ..." reports a judgment reached, a thought
# Judgment verbs (Levin 33): speech when they report content (a clause, quoted words), a
# stance when their object is all there is ("criticized the plan").
JUDGMENT_LEMMAS = frozenset("""
criticize criticise praise condemn blame accuse slam blast attack denounce applaud commend hail laud
mock ridicule deride castigate chastise rebuke scold reproach lambaste berate fault thank congratulate
welcome salute credit assail cheer
""".split())
# Propositional attitude and factives (Levin 29.5, 30): thought.
COGNITION_LEMMAS = frozenset("""
believe think feel expect hope fear worry doubt know understand find reckon suspect assume
presume suppose imagine realize realise recognize recognise learn discover notice see sense
figure conclude decide determine judge deem consider regard view trust bet wager speculate
remember recall forget acknowledge accept agree disagree
""".split())
# The attitudes proper: under these even quoted words are a thought ("hopes to “win big”").
CORE_COGNITION_LEMMAS = frozenset("""
believe think feel expect hope fear worry doubt know understand suspect assume presume suppose imagine
realize realise
""".split())
# Control (PDTB): intending, wanting, deciding, committing to an act of one's own.
INTENT_LEMMAS = frozenset("""
want wish desire plan intend aim mean seek hope expect decide choose opt resolve determine
vow pledge promise threaten offer refuse decline agree consent volunteer undertake swear
try attempt strive endeavor endeavour prepare
""".split())
# Wanting and planning: quoted words under these are still an intent ("wants to “drain the swamp”").
VOLITION_LEMMAS = frozenset("want wish desire plan intend aim seek try attempt strive".split())
# Nouns that report content, by kind: "his claim that ...", "her belief that ...", "a plan to ...".
COMMUNICATION_NOUNS = frozenset("""
claim report statement assertion argument suggestion warning announcement allegation accusation
insistence admission contention charge comment remark testimony acknowledgment acknowledgement
prediction threat vow promise pledge message letter email tweet post memo filing complaint lawsuit
interview speech remarks proposal request demand call appeal order
""".split())
COGNITION_NOUNS = frozenset("""
belief view conclusion finding opinion assessment judgment judgement suspicion fear hope expectation
assumption impression sense feeling conviction understanding knowledge doubt worry concern
""".split())
INTENT_NOUNS = frozenset("""
plan decision intention intent goal aim bid attempt effort desire wish determination resolve push
commitment refusal offer pledge promise vow threat
""".split())
# Adjectives after a copula: "sure that ..." is a thought, "eager to ..." an intent.
COGNITION_ADJECTIVES = frozenset("""
sure certain confident convinced aware unaware doubtful skeptical sceptical optimistic pessimistic
hopeful worried afraid fearful concerned satisfied
""".split())
INTENT_ADJECTIVES = frozenset("eager determined willing unwilling ready reluctant keen intent set poised".split())
# Sources that are no one: "nothing indicated that ...", "nobody said ...".
NEGATIVE_SOURCES = frozenset({"nothing", "nobody", "none", "noone", "neither"})
# Things that cannot say, think or intend: weather, nature and physical stuff ("snow continued to
# fly", "the storm knocked out power"), and violence ("bloodshed"). Not "data" or "figures": in
# news they show and suggest, and annotators count them as sources.
INANIMATE_NOUNS = frozenset("""
snow rain storm wind winds hurricane tornado cyclone typhoon flood floods fire fires blaze wildfire
earthquake quake drought heat cold ice fog hail lightning thunder weather temperature temperatures
water river sea ocean tide wave waves smoke dust ash lava mud air sun moon sky cloud clouds
road roads bridge building buildings car cars train trains plane planes ship ships engine
bloodshed violence fighting
""".split())

# --------------------------------------------------------------------------- who a description is
# Nouns for organisations: "the company said" is the company the article names.
ORG_NOUNS = frozenset("""
company firm automaker carmaker manufacturer maker brokerage bank lender insurer retailer chain
airline carrier utility operator provider developer publisher studio label network broadcaster
newspaper paper magazine outlet agency ministry department office bureau service administration
government council authority authorities commission committee board court tribunal police
union campaign party group organization organisation coalition alliance association federation
charity foundation institute university school college hospital clinic team club league
startup business conglomerate corporation giant producer distributor platform website site app
fund subsidiary division regulator watchdog journal tabloid newsletter panel
""".split())
# Nouns for what is issued rather than who issues it: "the statement said" is its issuer's.
DOCUMENT_NOUNS = frozenset("""
statement report letter email e-mail memo memorandum release filing lawsuit suit complaint
petition guidance study survey poll analysis document documents records notice note tweet post
announcement bulletin advisory communique transcript ruling decision order indictment
""".split())
# Role and kinship nouns that state a gender: evidence from the text, never from a first name.
FEMALE_NOUNS = frozenset("""
woman women girl lady mother mom mum daughter sister wife widow grandmother aunt niece bride
actress spokeswoman chairwoman congresswoman councilwoman businesswoman sportswoman policewoman
waitress hostess heroine queen princess duchess countess empress nun
""".split())
MALE_NOUNS = frozenset("""
man men boy gentleman father dad son brother husband widower grandfather uncle nephew groom
actor spokesman chairman congressman councilman businessman sportsman policeman
waiter king prince duke emperor monk
""".split())
# People without an agentive suffix: "the diplomat", "a nurse", "the source".
PERSON_NOUNS = frozenset("""
diplomat surgeon medic nurse expert source aide chief judge attorney citizen victim witness friend
colleague ally critic candidate nominee child kid fan guard police pilot chef coach star celebrity
rapper host anchor people person individual someone somebody anyone everyone resident inmate
veteran refugee migrant immigrant survivor hostage captive fighter soldier commander general
official spokesperson executive exec ceo founder boss head president premier minister senator
governor mayor secretary envoy ambassador delegate lawmaker legislator activist protester protestor
analyst economist scientist academic scholar historian student pupil parent couple family
relative cousin neighbour neighbor doctor physician dentist pharmacist patient client customer
shopper passenger tourist visitor driver rider athlete player captain goalkeeper striker
insider observer participant voter member staff staffer employee worker official officer
mogul tycoon magnate heir heiress architect priest imam rabbi bishop pastor cleric sheriff marshal
detective sergeant lieutenant colonel admiral trooper deputy clerk mechanic poet novelist journalist
landlord entrepreneur widow widower pundit surrogate advocate chair chairman chairwoman chairperson
director manager cfo coo cto
""".split())
# Places that speak for their governments: "the city said", "the country insists".
PLACE_NOUNS = frozenset("city state county town village country nation province region district".split())
# Nouns for a body of people ("the public", "a chorus of critics", "the company's management",
# "the left" of politics).
COLLECTIVE_NOUNS = frozenset("""
community public electorate population crowd audience majority minority chorus management leadership
staff left right family side
""".split())


# Things that say, as sources of speech: documents, polls and studies, media and their pieces,
# data. Other nouns for things ("the bias", "his performance", "turnout") report no words.
SPEAKING_THINGS = DOCUMENT_NOUNS | FINDING_NOUNS | frozenset("""
ad advert advertisement commercial spot film movie video clip footage book article column editorial
op-ed story website site page blog post tweet message text cable show broadcast documentary program
programme podcast interview speech headline caption banner sign poster leaflet flyer pamphlet
brochure manifesto platform data figure figures statistic statistics evidence research finding
findings result results estimate estimates forecast projection projections model tally count
record records filings transcript testimony minutes agenda budget bill law legislation proposal
measure resolution amendment policy rule rules regulation regulations guideline guidelines datum
presentation slide chart graph map calculation calculations tracker index-based assessment
""".split())
_PERSON_SUFFIX = re.compile(r"(?:er|or|ist|ian|ant|(?<!m)ent|man|woman|person|ee|eer|ive|ess|ic|al|ar|ier|yer|aire)$")


def denotes_people(lemma: str) -> bool:
    """Can the noun name a person or a group of people ("the medic", "officials", "a resident")?
    Role and kinship words, titles, and the agentive suffixes (-er, -ist, -ian, -ant, -ee ...)."""
    return (lemma in PERSON_NOUNS or lemma in GROUP_NOUNS or lemma in TITLES or lemma in FEMALE_NOUNS
            or lemma in MALE_NOUNS or bool(_PERSON_SUFFIX.search(lemma)))


def can_speak(lemma: str) -> bool:
    """A common noun whose referent can say something: people, organisations and bodies of them,
    places that stand for governments, and the things that say (documents, media, data)."""
    return (denotes_people(lemma) or lemma in ORG_NOUNS or lemma in COLLECTIVE_NOUNS or lemma in PLACE_NOUNS
            or lemma in SPEAKING_THINGS)
