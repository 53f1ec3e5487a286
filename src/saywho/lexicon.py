"""Word lists a linguist would write for English news attribution; no corpus names in here."""

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
FIRST_SECOND_PRONOUNS = frozenset({"i", "me", "my", "we", "us", "our", "you", "your"})
PERSONAL_PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS | PLURAL_PRONOUNS | FIRST_SECOND_PRONOUNS
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})

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
