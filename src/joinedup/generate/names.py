"""Name pools by origin, their spelling variants, and nickname pools for the scenario generator.

Everything here is written for the generator alone: it never reads the resolver's tables, so a
benchmark built from these names measures the resolver rather than echoing it.

Origins are drawn with the same weights for every role (see ``ORIGIN_WEIGHTS``): nothing in a
generated scenario ties a name origin, and so a protected attribute, to being a person of concern.
"""

from __future__ import annotations

from random import Random

ORIGINS: tuple[str, ...] = (
    "english",
    "irish",
    "south_asian",
    "arabic",
    "polish",
    "romanian",
    "somali",
    "west_african",
    "caribbean",
)

# The same weights for every role: origin is never a function of role.
ORIGIN_WEIGHTS: tuple[int, ...] = (30, 8, 18, 8, 9, 7, 6, 7, 7)

FEMALE: dict[str, tuple[str, ...]] = {
    "english": (
        "Katherine",
        "Chloe",
        "Jessica",
        "Emma",
        "Rebecca",
        "Charlotte",
        "Hannah",
        "Lauren",
        "Amy",
        "Sophie",
        "Megan",
        "Bethany",
        "Danielle",
        "Stacey",
        "Kayleigh",
        "Elizabeth",
        "Victoria",
        "Abigail",
        "Samantha",
        "Jennifer",
        "Natalie",
        "Gemma",
    ),
    "irish": (
        "Siobhan",
        "Aoife",
        "Niamh",
        "Ciara",
        "Roisin",
        "Sinead",
        "Orla",
        "Caitlin",
        "Bridget",
        "Grainne",
        "Maeve",
        "Shannon",
    ),
    "south_asian": (
        "Ayesha",
        "Fatima",
        "Zainab",
        "Saima",
        "Nazia",
        "Rukhsana",
        "Shazia",
        "Amina",
        "Sana",
        "Farzana",
        "Rehana",
        "Nasreen",
        "Priya",
        "Anjali",
    ),
    "arabic": ("Mariam", "Layla", "Noor", "Yasmin", "Huda", "Salma", "Rania", "Amal", "Hana"),
    "polish": (
        "Katarzyna",
        "Agnieszka",
        "Magdalena",
        "Aleksandra",
        "Joanna",
        "Małgorzata",
        "Zofia",
        "Natalia",
        "Weronika",
        "Anna",
    ),
    "romanian": (
        "Ioana",
        "Andreea",
        "Elena",
        "Mihaela",
        "Alexandra",
        "Cristina",
        "Bianca",
        "Roxana",
        "Denisa",
        "Larisa",
    ),
    "somali": (
        "Hodan",
        "Fadumo",
        "Sahra",
        "Ifrah",
        "Hibo",
        "Khadra",
        "Ayan",
        "Nimco",
        "Ubah",
        "Amina",
    ),
    "west_african": (
        "Adaeze",
        "Chiamaka",
        "Ngozi",
        "Folake",
        "Abena",
        "Ama",
        "Efua",
        "Blessing",
        "Temitope",
        "Funmilayo",
    ),
    "caribbean": (
        "Shanice",
        "Keisha",
        "Tanisha",
        "Marcia",
        "Jada",
        "Alicia",
        "Simone",
        "Janelle",
        "Tiana",
        "Shantelle",
    ),
}

MALE: dict[str, tuple[str, ...]] = {
    "english": (
        "William",
        "James",
        "Robert",
        "Michael",
        "David",
        "Daniel",
        "Thomas",
        "Christopher",
        "Matthew",
        "Andrew",
        "Steven",
        "Richard",
        "Anthony",
        "Joseph",
        "Liam",
        "Ryan",
    ),
    "irish": ("Sean", "Patrick", "Ciaran", "Declan", "Eoin", "Padraig", "Niall", "Cormac"),
    "south_asian": (
        "Mohammed",
        "Imran",
        "Abdul",
        "Tariq",
        "Shahid",
        "Asif",
        "Kamran",
        "Zahid",
        "Naveed",
        "Adil",
        "Rizwan",
        "Faisal",
        "Sajid",
        "Amjad",
        "Waqas",
        "Rajesh",
    ),
    "arabic": ("Ahmed", "Yusuf", "Omar", "Khalid", "Hassan", "Karim", "Samir", "Walid"),
    "polish": ("Piotr", "Tomasz", "Krzysztof", "Andrzej", "Jakub", "Wojciech", "Marek", "Paweł"),
    "romanian": ("Ion", "Gheorghe", "Mihai", "Vasile", "Florin", "Adrian", "Cosmin", "Bogdan"),
    "somali": ("Abdirahman", "Mohamud", "Abdullahi", "Abdi", "Yusuf", "Liban", "Farah", "Hamza"),
    "west_african": (
        "Chukwuemeka",
        "Oluwaseun",
        "Adebayo",
        "Kwame",
        "Kofi",
        "Emmanuel",
        "Babatunde",
        "Ifeanyi",
    ),
    "caribbean": ("Delroy", "Winston", "Leroy", "Marlon", "Devon", "Tyrone", "Clive", "Errol"),
}

SURNAMES: dict[str, tuple[str, ...]] = {
    "english": (
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Wilson",
        "Thompson",
        "Walker",
        "Clarke",
        "Wright",
        "Green",
        "Hall",
        "Wood",
        "Harrison",
        "Hughes",
        "Whitehead",
        "Ashworth",
        "Butterworth",
    ),
    "irish": ("O'Brien", "Murphy", "Kelly", "O'Sullivan", "McCarthy", "Doyle", "Byrne", "Walsh"),
    "south_asian": (
        "Hussain",
        "Khan",
        "Ahmed",
        "Chaudhry",
        "Mahmood",
        "Qureshi",
        "Akhtar",
        "Rehman",
        "Iqbal",
        "Shah",
        "Ali",
        "Butt",
        "Malik",
        "Patel",
    ),
    "arabic": ("Al-Sayed", "Haddad", "Mansour", "Nasser", "Saleh", "Khalil", "Abdullah"),
    "polish": ("Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński"),
    "romanian": ("Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghiu"),
    "somali": ("Abdi", "Mohamed", "Warsame", "Farah", "Hassan", "Jama", "Osman", "Nur"),
    "west_african": ("Okafor", "Adeyemi", "Mensah", "Boateng", "Okonkwo", "Adebayo", "Owusu"),
    "caribbean": ("Campbell", "Francis", "Grant", "Bailey", "Henry", "Clarke", "Reid", "Morgan"),
}

# Realistic alternative spellings: transliterations, anglicised forms and diminutives.
# Each list holds forms a record keeper might write for the canonical key.
VARIANTS: dict[str, tuple[str, ...]] = {
    # given names, male
    "Mohammed": ("Muhammad", "Mohamed", "Mohammad", "Muhammed", "Mohd"),
    "Imran": ("Imraan", "Emran"),
    "Abdul": ("Abdal", "Abdool"),
    "Tariq": ("Tarik", "Tareq"),
    "Shahid": ("Shahed", "Shaheed"),
    "Asif": ("Aasif", "Asef"),
    "Naveed": ("Navid", "Naved"),
    "Rizwan": ("Rizwaan", "Rizvan"),
    "Faisal": ("Faysal", "Feisal"),
    "Sajid": ("Sajjad", "Sajed"),
    "Ahmed": ("Ahmad", "Ahmet"),
    "Yusuf": ("Yousuf", "Yousef", "Joseph"),
    "Omar": ("Umar", "Omer"),
    "Khalid": ("Khaled", "Halid"),
    "Hassan": ("Hasan", "Hasaan"),
    "Karim": ("Kareem", "Karem"),
    "Piotr": ("Peter", "Pyotr"),
    "Tomasz": ("Tom", "Thomas", "Tomek"),
    "Krzysztof": ("Chris", "Krzys", "Kristof"),
    "Andrzej": ("Andrew", "Andrej"),
    "Jakub": ("Kuba", "Jacob"),
    "Wojciech": ("Wojtek", "Voytek"),
    "Paweł": ("Pawel", "Paul"),
    "Ion": ("John", "Ioan"),
    "Gheorghe": ("George", "Gheorghi"),
    "Mihai": ("Michael", "Mihail"),
    "Abdirahman": ("Abdi", "Abdirahmaan", "Abdurahman"),
    "Mohamud": ("Mahamud", "Mohamoud"),
    "Abdullahi": ("Abdullah", "Abdilahi"),
    "Chukwuemeka": ("Emeka", "Chukwuemaka"),
    "Oluwaseun": ("Seun", "Oluseun"),
    "Adebayo": ("Bayo", "Adebayou"),
    "Babatunde": ("Tunde", "Babatundi"),
    "William": ("Bill", "Will", "Billy", "Liam"),
    "Robert": ("Rob", "Bob", "Bobby"),
    "Michael": ("Mike", "Mick", "Micky"),
    "Daniel": ("Dan", "Danny"),
    "Christopher": ("Chris", "Kristopher"),
    "Steven": ("Stephen", "Steve"),
    "Anthony": ("Tony", "Antony"),
    "Patrick": ("Pat", "Paddy"),
    "Sean": ("Shaun", "Shawn"),
    "Padraig": ("Patrick", "Podraig"),
    "Delroy": ("Del", "Delroi"),
    # given names, female
    "Katherine": ("Kate", "Katie", "Kathryn", "Catherine", "Kath"),
    "Rebecca": ("Becky", "Becca", "Rebekah"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Samantha": ("Sam", "Sammy"),
    "Jennifer": ("Jen", "Jenny"),
    "Victoria": ("Vicky", "Tori"),
    "Abigail": ("Abbie", "Abby"),
    "Jessica": ("Jess", "Jessie"),
    "Danielle": ("Dani", "Daniella"),
    "Kayleigh": ("Kayley", "Kaylee", "Caleigh"),
    "Stacey": ("Stacy", "Staci"),
    "Siobhan": ("Shivaun", "Shevaun"),
    "Aoife": ("Eefa", "Aoiffe"),
    "Niamh": ("Neve", "Neeve"),
    "Roisin": ("Rosheen", "Róisín"),
    "Sinead": ("Shinead", "Sinéad"),
    "Grainne": ("Grania", "Gráinne"),
    "Ayesha": ("Aisha", "Aysha", "Aishah"),
    "Fatima": ("Fatimah", "Fatma"),
    "Zainab": ("Zaynab", "Zeinab"),
    "Rukhsana": ("Ruksana", "Rukshana"),
    "Farzana": ("Farsana", "Farzanah"),
    "Nasreen": ("Nasrin", "Nasrine"),
    "Mariam": ("Maryam", "Miriam"),
    "Layla": ("Leila", "Laila"),
    "Yasmin": ("Yasmine", "Jasmin"),
    "Huda": ("Houda", "Hoda"),
    "Katarzyna": ("Kasia", "Kate", "Katarzina"),
    "Agnieszka": ("Aga", "Agnes", "Agneska"),
    "Magdalena": ("Magda", "Madeleine"),
    "Aleksandra": ("Alexandra", "Ola"),
    "Małgorzata": ("Malgorzata", "Gosia", "Margaret"),
    "Ioana": ("Ioanna", "Joanna"),
    "Andreea": ("Andrea", "Andreia"),
    "Mihaela": ("Michaela", "Mihaella"),
    "Fadumo": ("Faduma", "Fatuma"),
    "Sahra": ("Sahara", "Sarah"),
    "Nimco": ("Nimo", "Nimca"),
    "Chiamaka": ("Amaka", "Chiamaka-Grace"),
    "Temitope": ("Tope", "Temi"),
    "Funmilayo": ("Funmi", "Funmilola"),
    "Shantelle": ("Chantelle", "Shantel"),
    "Tanisha": ("Tanesha", "Tenisha"),
    # surnames
    "Hussain": ("Hussein", "Husain", "Hossain"),
    "Khan": ("Kahn", "Khaan"),
    "Chaudhry": ("Choudhury", "Chowdhury", "Chaudhary"),
    "Mahmood": ("Mahmud", "Mehmood", "Mahmoud"),
    "Qureshi": ("Kureshi", "Qureishi"),
    "Akhtar": ("Akhter", "Akthar"),
    "Rehman": ("Rahman", "Rahmaan"),
    "Iqbal": ("Ikbal", "Iqbaal"),
    "Malik": ("Malick", "Mallik"),
    "Al-Sayed": ("Al Sayed", "Alsayed", "El-Sayed"),
    "Mansour": ("Mansur", "Mansoor"),
    "Nasser": ("Nasir", "Naser"),
    "Saleh": ("Salih", "Salah"),
    "O'Brien": ("OBrien", "O Brien", "Obrien"),
    "O'Sullivan": ("OSullivan", "O Sullivan"),
    "McCarthy": ("MacCarthy", "Mccarthy"),
    "Wiśniewski": ("Wisniewski", "Wisnewski"),
    "Wójcik": ("Wojcik", "Woycik"),
    "Kamiński": ("Kaminski", "Kaminsky"),
    "Lewandowski": ("Lewandowsky", "Levandowski"),
    "Zieliński": ("Zielinski", "Zielinsky"),
    "Kowalski": ("Kowalsky", "Kovalski"),
    "Nowak": ("Novak", "Nowack"),
    "Popescu": ("Popesku", "Popescou"),
    "Gheorghiu": ("Georgiu", "Gheorghiou"),
    "Mohamed": ("Mohammed", "Muhammad", "Mohamad"),
    "Warsame": ("Warsama", "Warsameh"),
    "Osman": ("Othman", "Usman"),
    "Okafor": ("Okafur", "Okaafor"),
    "Okonkwo": ("Okonkow", "Okonko"),
    "Boateng": ("Boatang", "Boa-Teng"),
    "Thompson": ("Thomson", "Tompson"),
    "Clarke": ("Clark", "Clerk"),
    "Whitehead": ("White-Head", "Whithead"),
    "Butterworth": ("Butterwoth", "Butterwort"),
}

# Strong nicknames: rare, so a shared one is real evidence.
STRONG_NICKNAMES: tuple[str, ...] = (
    "Car Zero",
    "Master",
    "Tiger",
    "Smiler",
    "Ugly One",
    "Boss Man",
    "Chef",
    "Professor",
    "Captain",
    "Gold Tooth",
    "Baldy",
    "Pepsi",
    "Biscuit",
    "Magic",
    "Taxi Man",
    "Kebab Man",
    "Mr Nice",
    "Lucky",
    "Scar",
    "Dollar",
    "Money Man",
    "Shadow",
    "Snake",
    "Sheriff",
    "Cheeky",
    "Ginger",
    "Uncle",
    "Prince",
    "Doc",
    "Ice",
    "Twin",
    "Junior",
    "Cobra",
    "Falcon",
    "Sultan",
)
_STRONG_PREFIXES: tuple[str, ...] = (
    "Little",
    "Old",
    "Young",
    "Mad",
    "Silver",
    "Golden",
    "Black",
    "Red",
    "Lazy",
    "Crazy",
)
_STRONG_BASES: tuple[str, ...] = (
    "Tiger",
    "Lion",
    "Fox",
    "Chef",
    "Prince",
    "Doctor",
    "Captain",
    "Eagle",
    "Bear",
    "Hawk",
    "Wolf",
    "Dog",
    "Cat",
    "Bull",
)

# Weak nicknames: common, used by many unrelated men; a shared one proves little.
WEAK_NICKNAMES: tuple[str, ...] = (
    "K",
    "Jay",
    "Mo",
    "Big Man",
    "Sunny",
    "Danny",
    "Ash",
    "Billy",
    "Sam",
    "Bobby",
    "Kaz",
    "Taz",
    "Ali",
    "Raz",
    "Jimmy",
    "Boss",
)
# The most common ones are what noise reports reuse in other towns.
COMMON_NOISE_NICKNAMES: tuple[str, ...] = ("K", "Jay", "Mo", "Big Man", "Sunny")

RECRUITER_NICKNAMES: tuple[str, ...] = (
    "Sweets",
    "Bubbles",
    "Goldie",
    "Cookie",
    "Lolly",
    "Sparkle",
    "Dolly",
    "Candy",
    "Peaches",
    "Sugar",
)

NICKNAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "Car Zero": ("Carzero", "Car 0", "Car-Zero", "Car Zer0"),
    "Ugly One": ("Ugly", "Ugly 1", "Ugly-One"),
    "Boss Man": ("Bossman", "Boss-Man", "Boss"),
    "Smiler": ("Smiley", "Smilie", "Smiler Man"),
    "Master": ("Masta", "Mastah"),
    "Tiger": ("Tigger", "Tig", "Tyger"),
    "Big Man": ("Bigman", "Big Mann", "Big-Man"),
    "Jay": ("J", "Jai", "Jaay"),
    "Mo": ("Moe", "Mo'"),
    "K": ("Kay", "K."),
    "Sunny": ("Sonny", "Sunni"),
    "Gold Tooth": ("Goldtooth", "Gold Teeth"),
    "Taxi Man": ("Taximan", "Taxi"),
    "Kebab Man": ("Kebabman", "Kebab"),
    "Mr Nice": ("Mr. Nice", "Mister Nice"),
    "Money Man": ("Moneyman", "Money"),
    "Kaz": ("Kazz", "Kas"),
    "Taz": ("Tazz", "Tas"),
    "Raz": ("Razz", "Ras"),
    "Professor": ("Prof", "The Prof"),
    "Doc": ("Doctor", "Docs"),
    "Sweets": ("Sweetie", "Sweetz"),
    "Bubbles": ("Bubs", "Bubblez"),
    "Cookie": ("Cooky", "Cookies"),
}

# Names that read naturally with "the" in front ("the Master", "the Big Man").
_TAKES_ARTICLE: frozenset[str] = frozenset(
    {
        "Master",
        "Ugly One",
        "Boss Man",
        "Big Man",
        "Chef",
        "Professor",
        "Captain",
        "Taxi Man",
        "Kebab Man",
        "Money Man",
        "Sheriff",
        "Twin",
        "Prince",
        "Doc",
        "Boss",
        "Snake",
        "Shadow",
        "Cobra",
        "Falcon",
        "Sultan",
    }
)


def pick_origin(rng: Random) -> str:
    """Draw a name origin with the same weights whatever the person's role."""
    return rng.choices(ORIGINS, ORIGIN_WEIGHTS)[0]


def pick_given(rng: Random, origin: str, sex: str) -> str:
    """Draw a canonical given name of the origin for the sex (``male`` or otherwise female)."""
    pool = MALE if sex == "male" else FEMALE
    return rng.choice(pool[origin])


def pick_surname(rng: Random, origin: str) -> str:
    """Draw a canonical surname of the origin."""
    return rng.choice(SURNAMES[origin])


def strong_nickname(rng: Random) -> str:
    """A rare nickname: a well-known form or an adjective-noun pair ("Silver Fox")."""
    if rng.random() < 0.5:
        return rng.choice(STRONG_NICKNAMES)
    return f"{rng.choice(_STRONG_PREFIXES)} {rng.choice(_STRONG_BASES)}"


def weak_nickname(rng: Random) -> str:
    """A common nickname ("K", "Jay", "Big Man")."""
    return rng.choice(WEAK_NICKNAMES)


def spell(rng: Random, canonical: str, p_variant: float = 0.3) -> str:
    """Write a name as a record keeper might: usually canonical, sometimes a known variant.

    Examples:
        >>> spell(Random(1), "Mohammed", p_variant=1.0) in VARIANTS["Mohammed"]
        True
    """
    options = VARIANTS.get(canonical)
    if options and rng.random() < p_variant:
        return rng.choice(options)
    return canonical


def spell_nickname(rng: Random, canonical: str, p_variant: float = 0.3) -> str:
    """Write a nickname with realistic drift: variant spelling, with or without "the", case."""
    text = canonical
    options = NICKNAME_VARIANTS.get(canonical)
    if options and rng.random() < p_variant:
        text = rng.choice(options)
    if canonical in _TAKES_ARTICLE and rng.random() < 0.35:
        text = f"the {text}"
    roll = rng.random()
    if roll < 0.06:
        text = text.lower()
    elif roll < 0.09:
        text = text.upper()
    return text


def typo(rng: Random, text: str) -> str:
    """One keyboard slip: a swapped, dropped or doubled letter (short words are left alone)."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4 and text[i].isalpha() and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind < 0.7 and text[i].isalpha():
        return text[:i] + text[i + 1 :]
    return text[: i + 1] + text[i] + text[i + 1 :]
