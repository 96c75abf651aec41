"""Small, general English word lists and morphology used by the rule-based extractor."""

from __future__ import annotations

import re
from functools import lru_cache

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]
MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)

AUX = {"is", "are", "was", "were", "has", "have", "had"}
BE_FORMS = {"is", "are", "was", "were"}
ADVERBS = {
    "also", "already", "actively", "officially", "formally", "first", "jointly", "further",
    "significantly", "steadily", "successfully", "finally", "eventually", "later", "then",
    "initially", "originally", "subsequently", "recently", "largely", "more", "fully", "still",
    "once", "soon", "immediately", "primarily", "partly", "gradually", "rapidly", "quickly",
    "widely", "publicly", "openly", "intentionally", "repeatedly", "always", "never", "not",
    "only", "even", "mainly", "formerly", "since", "ever",
}

IRREGULAR_PAST = {
    "began": "begin", "became": "become", "made": "make", "won": "win", "took": "take",
    "gave": "give", "held": "hold", "led": "lead", "met": "meet", "came": "come", "went": "go",
    "wrote": "write", "built": "build", "sent": "send", "grew": "grow", "rose": "rise",
    "fell": "fall", "left": "leave", "brought": "bring", "bought": "buy", "sold": "sell",
    "spent": "spend", "saw": "see", "told": "tell", "said": "say", "paid": "pay", "lost": "lose",
    "chose": "choose", "struck": "strike", "broke": "break", "spoke": "speak", "fought": "fight",
    "thought": "think", "drew": "draw", "flew": "fly", "ran": "run", "knew": "know",
    "stood": "stand", "kept": "keep", "got": "get", "did": "do", "shot": "shoot",
    "taught": "teach", "sought": "seek", "withdrew": "withdraw", "overtook": "overtake",
    "undertook": "undertake", "forbade": "forbid", "froze": "freeze", "drove": "drive",
    "rode": "ride", "hid": "hide", "laid": "lay", "lent": "lend", "dealt": "deal",
    "meant": "mean", "oversaw": "oversee", "underwent": "undergo", "arose": "arise",
}
IRREGULAR_PARTICIPLE = {
    "begun": "began", "become": "became", "made": "made", "won": "won", "taken": "took",
    "given": "gave", "held": "held", "led": "led", "written": "wrote", "built": "built",
    "sent": "sent", "grown": "grew", "brought": "brought", "bought": "bought", "sold": "sold",
    "spent": "spent", "seen": "saw", "told": "told", "said": "said", "paid": "paid",
    "chosen": "chose", "drawn": "drew", "known": "knew", "kept": "kept", "shot": "shot",
    "taught": "taught", "put": "put", "set": "set", "founded": "founded", "found": "found",
    "undertaken": "undertook", "overseen": "oversaw", "laid": "laid", "led by": "led",
    "struck": "struck", "broken": "broke", "spoken": "spoke", "fought": "fought",
    "driven": "drove", "frozen": "froze", "withdrawn": "withdrew", "hidden": "hid",
    "lent": "lent", "dealt": "dealt", "meant": "meant", "forbidden": "forbade",
    "shown": "showed", "done": "did", "gone": "went", "thrown": "threw", "flown": "flew",
    "risen": "rose", "fallen": "fell", "run": "ran",
    "understood": "understood", "stood": "stood", "hit": "hit", "cut": "cut", "read": "read",
    "left": "left", "lost": "lost", "met": "met", "got": "got", "gotten": "got", "ridden": "rode",
    "beaten": "beat", "bitten": "bit", "eaten": "ate", "forgotten": "forgot",
}
ED_NOT_VERB = {
    "need", "red", "bed", "seed", "feed", "speed", "bred", "hundred", "shed", "wed", "sled",
    "united", "limited", "advanced", "developed", "interested", "based", "detailed", "skilled",
    "related", "so-called", "called", "supposed", "used", "armed", "indeed",
}
LEMMA_OVERRIDE = {
    "created": "create", "recreated": "recreate", "persuaded": "persuade", "guided": "guide",
    "dissuaded": "dissuade",
    "developed": "develop", "focused": "focus", "visited": "visit", "targeted": "target",
    "budgeted": "budget", "abandoned": "abandon", "opened": "open", "happened": "happen",
    "entered": "enter", "offered": "offer", "considered": "consider", "delivered": "deliver",
    "gathered": "gather", "ordered": "order", "numbered": "number", "registered": "register",
    "monitored": "monitor", "transferred": "transfer", "referred": "refer",
    "preferred": "prefer", "occurred": "occur", "conferred": "confer", "fulfilled": "fulfil",
    "marketed": "market", "limited": "limit", "exhibited": "exhibit", "inherited": "inherit",
    "credited": "credit", "edited": "edit", "deposited": "deposit", "benefited": "benefit",
    "listened": "listen", "threatened": "threaten", "strengthened": "strengthen",
    "widened": "widen", "broadened": "broaden", "shortened": "shorten", "awakened": "awaken",
    "questioned": "question", "positioned": "position", "mentioned": "mention",
    "commissioned": "commission", "envisioned": "envision", "designed": "design",
    "signed": "sign", "reigned": "reign", "resigned": "resign", "assigned": "assign",
    "coined": "coin", "joined": "join", "gained": "gain", "remained": "remain",
    "contained": "contain", "obtained": "obtain", "maintained": "maintain",
    "explained": "explain", "trained": "train", "governed": "govern", "governed by": "govern",
    "transformed": "transform", "allowed": "allow", "followed": "follow", "showed": "show",
    "borrowed": "borrow", "launched": "launch", "reached": "reach", "founded": "found",
    "handed": "hand", "mounted": "mount", "counted": "count", "granted": "grant",
    "planted": "plant", "hosted": "host", "posted": "post", "lasted": "last",
    "existed": "exist", "listed": "list", "adopted": "adopt", "headed": "head",
}
_KEEP_DOUBLE = ("ll", "ss", "ff", "zz", "dd")


@lru_cache(maxsize=4096)
def lemma_past(word: str) -> str | None:
    """Base form of a past-tense verb (``recognized`` -> ``recognize``); None if unknown."""
    w = word.lower()
    if w in IRREGULAR_PAST:
        return IRREGULAR_PAST[w]
    if w in LEMMA_OVERRIDE:
        return LEMMA_OVERRIDE[w]
    if not w.endswith("ed") or len(w) < 5:
        return None
    if w.endswith("ied"):
        return w[:-3] + "y"
    s = w[:-2]
    if len(s) >= 3 and s[-1] == s[-2] and s[-2:] not in _KEEP_DOUBLE and s[-1] not in "aeiouy":
        return s[:-1]
    if s.endswith("e"):  # agreed -> agree
        return s + "e"
    if s[-1] in "cvzu":
        return s + "e"
    two = s[-2:]
    vowels = "aeiou"
    if s[-1] == "s":
        return s + "e" if (s[-2] in vowels and s[-3] not in vowels) or two in ("ns", "rs", "ps", "ls") else s
    if s[-1] == "g":
        if two in ("ng",) and s[-3] in "oiu":
            return s
        return s + "e" if s[-2] in "aenrdl" else s
    if s[-1] == "r":
        return s + "e" if s[-2] in "aiouy" and s[-3] not in vowels else s
    if s[-1] == "l":
        return s + "e" if s[-2] not in vowels and s[-2] not in "lr" else s
    if s[-1] in "kmbdpt" and s[-2] in vowels and s[-3] not in vowels:
        if s[-1] == "p" and s[-2] in "oe":
            return s
        if s[-1] == "t" and s[-2] in "ie":
            return s
        return s + "e"
    if s[-1] == "n" and s[-2] in "iouay" and s[-3] not in vowels:
        return s + "e"
    if s.endswith("th") and s[-3] in vowels:
        return s + "e"
    return s


def past_of_participle(word: str) -> str | None:
    w = word.lower()
    if w in IRREGULAR_PARTICIPLE:
        return IRREGULAR_PARTICIPLE[w]
    if w.endswith("ed") and len(w) >= 5:
        return w
    return None


def is_past_verb(word: str) -> bool:
    if not word or not word[0].islower():
        return False
    if word in IRREGULAR_PAST:
        return True
    return word.endswith("ed") and len(word) > 4 and word not in ED_NOT_VERB


def is_participle(word: str) -> bool:
    if not word or not word[0].islower():
        return False
    return word in IRREGULAR_PARTICIPLE or (word.endswith("ed") and len(word) > 4) or (
        word.endswith("ing") and len(word) > 5
    )


NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
               "bn": 1e9, "mln": 1e6, "m": 1e6, "k": 1e3}

CURRENCY_WORDS = (
    r"(?:US\s?dollars|U\.S\.\s?dollars|dollars|USD|euros?|EUR|pounds(?: sterling)?|GBP|yen|JPY"
    r"|won|KRW|roubles?|rubles?|RUB|tenge|KZT|soms?|yuan|renminbi|CNY|rupees?|INR|francs?"
    r"|sums?|UZS|lira|dinars?|pesos?|reais|rand)"
)

PERSON_ROLES = (
    r"(?:President|Vice[- ]President|Prime Minister|Deputy Prime Minister|Minister|King|Queen"
    r"|Emperor|Empress|Prince|Princess|Chancellor|Premier|General|Admiral|Colonel|Marshal"
    r"|Secretary[- ]General|Secretary|Chairman|Chairwoman|Chair|Senator|Governor|Mayor"
    r"|Professor|Prof\.|Dr\.|Ambassador|Director|CEO|Founder|Pope|Sultan|Tsar|Emir|Shah|Sheikh"
    r"|Commander|Premier|Speaker|Judge|Justice|Astronaut|Cosmonaut|Captain|Lieutenant"
    r"|Engineer|Commissioner|Chief [Ee]xecutive|Chief executive|Sir|Dame|Dr\b(?!\.))"
)
ROLE_NOUNS = {
    "scientist", "scholar", "professor", "economist", "historian", "politician", "diplomat",
    "writer", "author", "journalist", "engineer", "astronaut", "cosmonaut", "physicist",
    "chemist", "biologist", "philosopher", "sociologist", "researcher", "leader", "founder",
    "president", "minister", "director", "entrepreneur", "businessman", "businesswoman",
    "inventor", "explorer", "general", "officer", "activist", "artist", "composer", "poet",
    "novelist", "lawyer", "judge", "analyst", "mathematician", "architect", "designer",
    "commander", "ambassador", "chairman", "executive", "theorist", "expert", "pilot",
    "singer", "actor", "actress", "director-general", "secretary", "monarch", "king", "queen",
    "merchant", "physician", "doctor", "surgeon", "nurse", "teacher", "priest", "bishop",
    "banker", "industrialist", "philanthropist", "painter", "sculptor", "playwright",
    "botanist", "geologist", "astronomer", "lecturer", "rector", "vice-chancellor", "dean",
    "mayor", "governor", "senator", "missionary", "manufacturer", "editor", "publisher",
}
PROGRAMME_HEADS = (
    "Policy", "Policies", "Initiative", "Strategy", "Programme", "Program", "Project", "Plan",
    "Agreement", "Treaty", "Act", "Doctrine", "Concept", "Corridor", "Railway", "Mission",
    "Campaign", "Reform", "Reforms", "Accord", "Accords", "Declaration", "Charter", "Pact",
    "Convention", "Protocol", "Systems", "System", "Scheme", "Partnership", "Vision", "Map",
    "Road", "Wave",
)
ORG_HEADS = (
    "Agency", "Ministry", "Committee", "Organization", "Organisation", "Council", "University",
    "Center", "Centre", "Bank", "Company", "Corporation", "Association", "Union", "Institute",
    "Party", "Commission", "Office", "Secretariat", "Fund", "Foundation", "Forum", "Authority",
    "Department", "Administration", "Agency", "Group", "Society", "Academy", "College",
    "Parliament", "Assembly", "Congress", "Court", "Bureau", "Service", "Board", "Federation",
    "Alliance", "Community",
)
WORK_NOUNS = {
    "film", "movie", "song", "album", "book", "novel", "play", "opera", "series", "show",
    "track", "painting", "poem", "article", "magazine", "newspaper", "game", "ship", "brand",
}
QUESTION_HEAD = {
    "Policy": "policy", "Policies": "policy", "Initiative": "initiative", "Strategy": "strategy",
    "Programme": "programme", "Program": "programme", "Project": "project", "Plan": "plan",
    "Agreement": "agreement", "Treaty": "treaty", "Act": "act", "Doctrine": "doctrine",
    "Concept": "concept", "Agency": "agency", "Ministry": "ministry", "University": "university",
    "Committee": "committee", "Forum": "forum", "Bank": "bank", "Company": "company",
    "Corporation": "corporation", "Party": "party", "Mission": "mission",
    "Organization": "organization", "Organisation": "organisation", "Council": "council",
    "Center": "centre", "Centre": "centre", "Institute": "institute", "Fund": "fund",
}

DISCOURSE = (
    r"(?:But|And|So|Yet|However|Moreover|Also|Thus|Therefore|Furthermore|Nonetheless"
    r"|Nevertheless|Besides|Hence|Consequently|Undoubtedly|Indeed|Finally|Additionally"
    r"|Meanwhile|Notably|Importantly|Subsequently|Then|Later|Similarly|Likewise|Accordingly"
    r"|In addition|For example|For instance|In particular|In general|As a result|In conclusion"
    r"|In this regard|In this context|In turn|At the moment|At present|Currently|Today"
    r"|At the same time|To summarize|In summary|Of course|Clearly|Obviously|Essentially"
    r"|In fact|In short|On the one hand|On the other hand|On one hand|Overall|Generally"
    r"|Specifically|Interestingly|Surprisingly|Unfortunately|Fortunately)"
)

PRONOUN_START = re.compile(
    r"^(?:It|Its|This|These|Those|That|They|Their|Them|He|She|His|Her|Such|Which|Who|Here"
    r"|Both|Another|Other|Others|Some|Many|Most|All|Each|One)\b"
)
DANGLING = re.compile(
    r"\b(?:this|these|those|it|its|it's|they|them|their|theirs|he|she|him|his|her|hers|we|our"
    r"|(?-i:us|Us)|such|said|aforementioned|above-mentioned|abovementioned|latter|former(?=\s+(?:is|was|are|were|,|\.))"
    r"|above|below|here|the same|the following|as follows|previous|subsequent|aforesaid)\b"
    r"|\bthe (?:new |same |above |aforementioned )?(?:country|countries|agency|initiative|policy|programme|program|project|company"
    r"|organization|organisation|forum|strategy|concept|author|authors|study|article|paper"
    r"|state|government|president|city|university|cent(?:er|re)|term|plan|platform|format"
    r"|region|scientist|researcher|agreement|treaty|mission|event|report|book|work|party"
    r"|ministry|committee|council|fund|bank|institution|figure|table|chapter|section|case"
    r"|period|year|decade|time|same|latter|former|document|campaign|movement|war|leader"
    r"|capital|island|republic|union|system|model|method|approach|theory|idea|tool|process"
    r"|initiatives|policies|programmes|programs|projects|site|sites|building|venue)\b(?!\s+(?:of|for|that|which|who|from|between)\b)(?!\s+(?:on|in|to|at)\s+(?!(?-i:January|February|March|April|May|June|July|August|September|October|November|December)\b)(?-i:[A-Z]))(?!\s+(?-i:[A-Z])|\s+['\"‘“])"
    r"|\bthe \w+ (?:mentioned|discussed|described) (?:above|earlier)",
    re.I,
)
FIRST_PERSON = re.compile(r"\b(?:we|our|us|my|let us|let's)\b|(?<![A-Z][\w-]\s)(?<![A-Z][\w-]{2}\s)(?<![A-Z][\w-]{3}\s)(?<![A-Z][\w-]{4}\s)(?<![A-Z][\w-]{5}\s)(?<![A-Z][\w-]{6}\s)\bI\b(?![-.]\w)|^(?:We|Our|Us|My|Let us|Let's)\b")
NATIONALITY_SUFFIX = re.compile(r"(?:ish|ese|ian|ean|ic|i|an)$")
LANGUAGE_WORDS = {
    "English", "French", "German", "Dutch", "Greek", "Thai", "Russian", "Korean", "Chinese",
    "Japanese", "Spanish", "Arabic", "Latin", "Turkish", "Persian", "Hindi", "Uzbek", "Kazakh",
    "Kyrgyz", "Tajik", "Turkmen", "Mongolian", "Polish", "Swiss", "Czech", "Irish", "Welsh",
    "Scottish", "British", "American", "European", "African", "Asian",
}
STOP_CAPS = {
    "The", "A", "An", "In", "On", "At", "Since", "For", "From", "By", "With", "As", "To", "Of",
    "And", "But", "Or", "If", "When", "While", "After", "Before", "During", "Under", "This",
    "That", "These", "Those", "It", "Its", "Their", "There", "Here", "Such", "Some", "Many",
    "Most", "All", "Each", "Every", "Both", "Another", "Other", "One", "Two", "Three", "Four",
    "Five", "Six", "Seven", "Eight", "Nine", "Ten", "First", "Second", "Third", "Over",
    "Through", "Within", "Without", "Between", "About", "Despite", "Although", "Because",
    "Former", "Current", "Then", "Also", "However", "Moreover", "Therefore", "Thus", "So",
    "Mr", "Mrs", "Ms", "Dr", "St", "Sir", "Lord", "Lady", "Let", "Not", "No", "Yes",
    "Republic", "State", "States", "Kingdom", "Federation", "Union", "Empire", "According",
    "Following", "Regarding", "Including", "Unlike", "Like", "Via", "Per",
}
CONTINENTS = {
    "Asia", "Europe", "Africa", "America", "Oceania", "Antarctica", "Eurasia", "Australia",
    "Arctic", "Atlantic", "Pacific", "Siberia", "Scandinavia", "Caucasus", "Balkans",
}
