"""Fictitious client names and synthetic BSNs for the demo and benchmark datasets.

Names are transliterated the way they end up in Dutch registers, which is rarely one way: the
same name arrives as Mohammed, Mohamed or Muhammad depending on the interpreter, the passport or
the COA desk. Each entry below is a tuple of such spelling variants (the first is the most
common), so the data exercises duplicate checks and search the way real intake data does.

Naming conventions differ per origin, and the demo follows them:
- `family`: one family name, passed to the children (Arabic, Turkish, Ukrainian; Dari in part).
- `patronymic`: a person's second name is their father's given name (Tigrinya, Somali), so
  parents and children in one household carry different "family names".
- Some Afghans have a single name only; it goes into `family_name` (product.md: single names
  are allowed), with the given names left empty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from stdnum.nl import bsn as stdnum_bsn

Variants = tuple[str, ...]

FAMILY = "family"
PATRONYMIC = "patronymic"


@dataclass(frozen=True)
class Origin:
    key: str
    language: str  # ISO 639 code of the language a consent is explained in
    convention: str
    male: tuple[Variants, ...]
    female: tuple[Variants, ...]
    family: tuple[Variants, ...] = ()
    single_name_share: float = 0.0  # adults known by one name only
    interpreter_share: float = 0.8  # how often an interpreter is needed at intake


ARABIC = Origin(
    key="arabic",
    language="ar",
    convention=FAMILY,
    male=(
        ("Mohammed", "Mohamed", "Muhammad", "Mohammad"),
        ("Ahmad", "Ahmed"),
        ("Omar", "Umar"),
        ("Khaled", "Khalid"),
        ("Mahmoud", "Mahmud"),
        ("Yousef", "Youssef", "Yusuf"),
        ("Ibrahim", "Ebrahim"),
        ("Ali",),
        ("Hassan", "Hasan"),
        ("Hussein", "Hussain", "Husein"),
        ("Abdullah", "Abdallah"),
        ("Mustafa", "Moustafa", "Mostafa"),
        ("Karim", "Kareem"),
        ("Samer",),
        ("Rami",),
        ("Fadi",),
        ("Tarek", "Tariq", "Tarik"),
        ("Ammar",),
        ("Walid", "Waleed"),
        ("Anas",),
    ),
    female=(
        ("Fatima", "Fatimah", "Fatma"),
        ("Aisha", "Aicha", "Aysha"),
        ("Amal",),
        ("Rania",),
        ("Hiba", "Heba"),
        ("Nour", "Noor", "Nur"),
        ("Layla", "Leila", "Laila"),
        ("Mariam", "Maryam", "Meriam"),
        ("Rasha",),
        ("Huda", "Houda"),
        ("Dina",),
        ("Lina",),
        ("Yasmin", "Yasmine", "Jasmin"),
        ("Salma",),
        ("Reem", "Rim"),
        ("Samira", "Sameera"),
        ("Zainab", "Zeinab", "Zaynab"),
        ("Ghada",),
    ),
    family=(
        ("Al-Haddad", "Alhaddad", "Haddad"),
        ("Al-Hassan", "Alhassan"),
        ("Khalil",),
        ("Mansour", "Mansur"),
        ("Al-Ahmad", "Alahmad"),
        ("Darwish", "Darwich"),
        ("Al-Najjar", "Najjar"),
        ("Hamdan",),
        ("Suleiman", "Sulaiman", "Soleiman"),
        ("Othman", "Osman", "Uthman"),
        ("Khoury", "Khouri", "Al-Khoury"),
        ("Al-Khatib", "Alkhatib", "El-Khatib"),
        ("Shami", "Al-Shami"),
        ("Halabi", "Al-Halabi"),
        ("Zaher", "Zahir"),
        ("Saleh", "Salih"),
        ("Abboud", "Abbud"),
        ("Qasem", "Kassem", "Qassim"),
        ("Al-Masri", "Masri"),
        ("Hamoud", "Hammoud"),
    ),
    interpreter_share=0.85,
)

TIGRINYA = Origin(
    key="tigrinya",
    language="ti",
    convention=PATRONYMIC,
    male=(
        ("Yohannes", "Johannes", "Yohanes"),
        ("Tesfay", "Tesfaye", "Tesfai"),
        ("Berhane", "Berhe", "Birhane"),
        ("Mehari", "Mehary"),
        ("Dawit", "Dawite"),
        ("Semere", "Semre"),
        ("Tekle", "Teklay"),
        ("Haile", "Hayle"),
        ("Filmon", "Filimon"),
        ("Habtom",),
        ("Kidane",),
        ("Gebremedhin", "Ghebremedhin"),
        ("Girmay", "Ghirmay"),
        ("Tewelde", "Teweldebrhan"),
        ("Yonas", "Jonas"),
        ("Efrem", "Ephrem"),
        ("Gebremariam", "Ghebremariam"),
        ("Tesfamariam",),
        ("Weldemichael", "Woldemichael"),
        ("Negash",),
        ("Hagos",),
        ("Araya",),
    ),
    female=(
        ("Senait", "Senayt"),
        ("Helen",),
        ("Selam", "Salam"),
        ("Mebrat",),
        ("Abeba",),
        ("Rahwa",),
        ("Saba",),
        ("Luwam",),
        ("Winta",),
        ("Feven",),
        ("Hiwet",),
        ("Tsega", "Tsegai"),
        ("Yordanos",),
        ("Lidia", "Lydia"),
        ("Meron",),
        ("Nardos",),
        ("Ruta",),
        ("Freweini", "Frewini"),
    ),
    interpreter_share=0.95,
)

DARI = Origin(
    key="dari",
    language="prs",
    convention=FAMILY,
    male=(
        ("Mohammad", "Mohammed", "Muhammad"),
        ("Ahmad", "Ahmed"),
        ("Abdul Rahim", "Abdulrahim"),
        ("Abdul Qadir", "Abdulqader"),
        ("Mahmood", "Mahmud"),
        ("Farid", "Fareed"),
        ("Jawad",),
        ("Hamid",),
        ("Najib", "Najeeb"),
        ("Wahid",),
        ("Sayed", "Sayyid", "Said"),
        ("Habibullah", "Habib"),
        ("Zabihullah", "Zabiullah"),
        ("Samiullah",),
        ("Hamidullah",),
        ("Rohullah", "Ruhullah"),
    ),
    female=(
        ("Fereshta", "Freshta"),
        ("Maryam", "Mariam"),
        ("Zahra", "Zahraa"),
        ("Nilofar", "Nilufar"),
        ("Mahnaz",),
        ("Shabnam",),
        ("Parwana", "Parvana"),
        ("Soraya", "Suraya"),
        ("Nazia",),
        ("Frozan", "Forozan"),
        ("Marzia", "Marziya"),
        ("Roya",),
        ("Laila", "Leila"),
        ("Khadija", "Khadijah"),
        ("Zarghuna",),
    ),
    family=(
        ("Ahmadi",),
        ("Rahimi",),
        ("Hakimi",),
        ("Karimi",),
        ("Hashimi", "Hashemi"),
        ("Sadat", "Saadat"),
        ("Noori", "Nouri", "Nuri"),
        ("Amiri",),
        ("Hussaini", "Hosseini", "Husseini"),
        ("Mohammadi", "Muhammadi"),
        ("Rezai", "Rezaei", "Rezaie"),
        ("Sultani",),
        ("Azizi",),
        ("Popal",),
        ("Stanikzai",),
        ("Jalali",),
    ),
    single_name_share=0.3,
    interpreter_share=0.9,
)

SOMALI = Origin(
    key="somali",
    language="so",
    convention=PATRONYMIC,
    male=(
        ("Abdullahi", "Abdulahi", "Abdillahi"),
        ("Mohamed", "Mohammed", "Maxamed"),
        ("Ahmed", "Axmed"),
        ("Abdirahman", "Abdurahman", "Cabdiraxmaan"),
        ("Hassan", "Xasan"),
        ("Ali", "Cali"),
        ("Omar", "Cumar"),
        ("Yusuf", "Yuusuf"),
        ("Abdi", "Cabdi"),
        ("Farah", "Faarax"),
        ("Ismail", "Ismaaciil"),
        ("Osman", "Cismaan"),
        ("Liban",),
        ("Bashir", "Bashiir"),
        ("Mahad",),
        ("Abdiaziz", "Abdulaziz"),
    ),
    female=(
        ("Hodan",),
        ("Amina", "Aamina"),
        ("Fadumo", "Faduma"),
        ("Sahra", "Sahro"),
        ("Halima", "Xaliimo"),
        ("Ayan", "Ayaan"),
        ("Ifrah",),
        ("Asha", "Aasha"),
        ("Nasra",),
        ("Hibo",),
        ("Deeqa",),
        ("Sagal",),
        ("Maryan",),
        ("Khadra", "Khadro"),
        ("Ubah", "Ubax"),
        ("Hamdi",),
    ),
    interpreter_share=0.85,
)

TURKISH = Origin(
    key="turkish",
    language="tr",
    convention=FAMILY,
    male=(
        ("Mehmet", "Mehmed"),
        ("Mustafa",),
        ("Ahmet", "Ahmed"),
        ("Ali",),
        ("Hüseyin", "Huseyin", "Hussein"),
        ("Hasan",),
        ("İbrahim", "Ibrahim"),
        ("Murat",),
        ("Emre",),
        ("Yusuf",),
        ("Osman",),
        ("Kemal",),
        ("Burak",),
        ("Serkan",),
        ("Ömer", "Omer"),
    ),
    female=(
        ("Ayşe", "Ayse"),
        ("Fatma",),
        ("Emine",),
        ("Zeynep", "Zeinep"),
        ("Elif",),
        ("Hatice", "Hatije"),
        ("Merve",),
        ("Büşra", "Busra"),
        ("Esra",),
        ("Özlem", "Ozlem"),
        ("Sevgi",),
        ("Gül", "Gul"),
        ("Derya",),
        ("Songül", "Songul"),
    ),
    family=(
        ("Yılmaz", "Yilmaz"),
        ("Kaya",),
        ("Demir",),
        ("Şahin", "Sahin"),
        ("Çelik", "Celik"),
        ("Yıldız", "Yildiz"),
        ("Aydın", "Aydin"),
        ("Öztürk", "Ozturk"),
        ("Arslan", "Aslan"),
        ("Doğan", "Dogan"),
        ("Kılıç", "Kilic"),
        ("Çetin", "Cetin"),
        ("Kara",),
        ("Koç", "Koc"),
        ("Kurt",),
        ("Özdemir", "Ozdemir"),
    ),
    interpreter_share=0.5,
)

UKRAINIAN = Origin(
    key="ukrainian",
    language="uk",
    convention=FAMILY,
    male=(
        ("Oleksandr", "Oleksander", "Aleksandr"),
        ("Andrii", "Andriy", "Andrij"),
        ("Dmytro", "Dmitro"),
        ("Serhii", "Serhiy", "Sergiy"),
        ("Mykola", "Mikola"),
        ("Volodymyr", "Wolodymyr"),
        ("Yurii", "Yuriy", "Iurii"),
        ("Ivan",),
        ("Vasyl", "Vasil"),
        ("Oleh", "Oleg"),
        ("Taras",),
        ("Bohdan", "Bogdan"),
        ("Maksym", "Maksim"),
    ),
    female=(
        ("Olena",),
        ("Iryna", "Irina"),
        ("Nataliia", "Nataliya", "Natalia"),
        ("Oksana",),
        ("Tetiana", "Tetyana", "Tatiana"),
        ("Yuliia", "Yuliya", "Julia"),
        ("Kateryna", "Katerina"),
        ("Svitlana", "Svetlana"),
        ("Anastasiia", "Anastasiya"),
        ("Viktoriia", "Viktoriya"),
        ("Halyna", "Galina"),
        ("Liudmyla", "Lyudmyla"),
        ("Mariia", "Mariya"),
        ("Daryna",),
        ("Sofiia", "Sofiya"),
    ),
    family=(
        ("Kovalenko",),
        ("Shevchenko", "Schewtschenko"),
        ("Bondarenko",),
        ("Tkachenko",),
        ("Kravchenko", "Krawtschenko"),
        ("Melnyk", "Melnik"),
        ("Boiko", "Boyko"),
        ("Tkachuk",),
        ("Oliinyk", "Oliynyk"),
        ("Lysenko",),
        ("Marchenko",),
        ("Rudenko",),
        ("Savchenko",),
        ("Petrenko",),
        ("Moroz",),
        ("Polishchuk", "Polischuk"),
        ("Hnatiuk", "Hnatyuk"),
    ),
    interpreter_share=0.6,
)

ORIGINS: tuple[Origin, ...] = (ARABIC, TIGRINYA, DARI, SOMALI, TURKISH, UKRAINIAN)
# Roughly the mix of recent statushouders in a Dutch region.
ORIGIN_WEIGHTS: tuple[int, ...] = (32, 26, 12, 8, 8, 14)


def spelling(rng: random.Random, variants: Variants) -> str:
    """One spelling of a name: mostly the common one, sometimes a variant."""
    if len(variants) == 1 or rng.random() < 0.6:
        return variants[0]
    return rng.choice(variants[1:])


def given_name(rng: random.Random, origin: Origin, *, female: bool) -> str:
    return spelling(rng, rng.choice(origin.female if female else origin.male))


def family_name(rng: random.Random, origin: Origin) -> str:
    """A family name for origins that have them; for patronymic origins, a father's name."""
    if origin.convention == PATRONYMIC:
        return given_name(rng, origin, female=False)
    return spelling(rng, rng.choice(origin.family))


# --- Synthetic BSNs -------------------------------------------------------------------------------
# Numbers 999xxxxxx are never issued to people; with the 11-proef only about 90,900 of them are
# valid, so a dataset larger than that leaves the rest of its clients without a BSN (as
# newcomers without one yet are in real life).
BSN_PREFIX = "999"


def _check_digit(first_eight: str) -> int | None:
    total = sum((9 - i) * int(digit) for i, digit in enumerate(first_eight))
    digit = total % 11
    return None if digit == 10 else digit


@cache
def _all_synthetic_bsns() -> tuple[str, ...]:
    numbers = []
    for serial in range(100_000):
        first_eight = f"{BSN_PREFIX}{serial:05d}"
        digit = _check_digit(first_eight)
        if digit is not None:
            numbers.append(f"{first_eight}{digit}")
    return tuple(numbers)


MAX_SYNTHETIC_BSNS = len(_all_synthetic_bsns())


def synthetic_bsn(rng: random.Random) -> str:
    """One BSN from the 999 test range that passes the 11-proef."""
    return rng.choice(_all_synthetic_bsns())


def synthetic_bsns(rng: random.Random, count: int) -> list[str]:
    """`count` distinct test BSNs, in a random but seed-determined order."""
    if count > MAX_SYNTHETIC_BSNS:
        raise ValueError(f"There are only {MAX_SYNTHETIC_BSNS} valid BSNs in the 999 range.")
    return rng.sample(_all_synthetic_bsns(), count)


def is_synthetic_bsn(number: str) -> bool:
    return number.startswith(BSN_PREFIX) and stdnum_bsn.is_valid(number)
