"""The letters, symbols and accents of LaTeX text mode, as look-alike Unicode.

The tables map LaTeX to look-alike Unicode characters on purpose.
"""

from __future__ import annotations

import unicodedata
from typing import Final

#: Special letters; a space after them is swallowed, as TeX does.
LETTERS: Final[dict[str, str]] = {
    "ss": "ß",
    "hyphen": "-",
    "SS": "SS",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "S": "§",
    "P": "¶",  # "\\S 3" is "§3"
    "lq": "‘",
    "rq": "’",
}

#: Text symbols; a space after them is kept (``\\LaTeX is`` reads "LaTeX is").
SYMBOLS: Final[dict[str, str]] = {
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotestraightbase": "‚",
    "textquotestraightdblbase": "„",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "quotesinglbase": "‚",
    "quotedblbase": "„",
    "textquotesingle": "'",
    "textquotedbl": '"',
    "guillemotleft": "«",
    "guillemotright": "»",
    "guillemetleft": "«",
    "guillemetright": "»",
    "guilsinglleft": "‹",
    "guilsinglright": "›",
    "textregistered": "®",
    "texttrademark": "™",
    "copyright": "©",
    "textcopyright": "©",
    "textdegree": "°",
    "degree": "°",
    "textsection": "§",
    "textparagraph": "¶",
    "dag": "†",
    "textdagger": "†",
    "ddag": "‡",
    "textdaggerdbl": "‡",
    "textbullet": "•",
    "textperiodcentered": "·",
    "pounds": "£",
    "textsterling": "£",
    "euro": "€",
    "texteuro": "€",
    "textcent": "¢",
    "textyen": "¥",
    "textexclamdown": "¡",
    "textquestiondown": "¿",
    "textmu": "µ",
    "textonehalf": "½",
    "textonequarter": "¼",
    "textthreequarters": "¾",
    "textperthousand": "‰",
    "textnumero": "№",
    "checkmark": "✓",
    "texttimes": "×",
    "textdiv": "÷",
    "textordfeminine": "ª",
    "textordmasculine": "º",
    "textvisiblespace": "␣",
    "textasteriskcentered": "∗",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "LaTeXe": "LaTeX2ε",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textunderscore": "_",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textdollar": "$",
    "textasciigrave": "`",
    "textasciiacute": "´",
    "textasciidieresis": "¨",
    "textasciimacron": "¯",
    "slash": "/",
    "nobreakspace": "\xa0",
}

#: Journal macros of NASA ADS exports (``journal = {\\apj}``), as the AAS/ADS
#: ``aas_macros.sty`` defines them.
AAS_JOURNALS: Final[dict[str, str]] = {
    "aj": "AJ",
    "actaa": "Acta Astron.",
    "araa": "ARA&A",
    "apj": "ApJ",
    "apjl": "ApJ",
    "apjlett": "ApJ",
    "apjs": "ApJS",
    "apjsupp": "ApJS",
    "ao": "Appl. Opt.",
    "applopt": "Appl. Opt.",
    "apss": "Ap&SS",
    "aap": "A&A",
    "astap": "A&A",
    "aapr": "A&A Rev.",
    "aaps": "A&AS",
    "azh": "AZh",
    "baas": "BAAS",
    "bac": "Bull. astr. Inst. Czechosl.",
    "caa": "Chinese Astron. Astrophys.",
    "cjaa": "Chinese J. Astron. Astrophys.",
    "icarus": "Icarus",
    "jcap": "J. Cosmology Astropart. Phys.",
    "jrasc": "JRASC",
    "memras": "MmRAS",
    "mnras": "MNRAS",
    "na": "New A",
    "nar": "New A Rev.",
    "pra": "Phys. Rev. A",
    "prb": "Phys. Rev. B",
    "prc": "Phys. Rev. C",
    "prd": "Phys. Rev. D",
    "pre": "Phys. Rev. E",
    "prl": "Phys. Rev. Lett.",
    "pasa": "PASA",
    "pasp": "PASP",
    "pasj": "PASJ",
    "psj": "PSJ",
    "rmxaa": "Rev. Mexicana Astron. Astrofis.",
    "qjras": "QJRAS",
    "skytel": "S&T",
    "solphys": "Sol. Phys.",
    "sovast": "Soviet Ast.",
    "ssr": "Space Sci. Rev.",
    "zap": "ZAp",
    "nat": "Nature",
    "iaucirc": "IAU Circ.",
    "aplett": "Astrophys. Lett.",
    "apspr": "Astrophys. Space Phys. Res.",
    "bain": "Bull. Astron. Inst. Netherlands",
    "fcp": "Fund. Cosmic Phys.",
    "gca": "Geochim. Cosmochim. Acta",
    "grl": "Geophys. Res. Lett.",
    "jcp": "J. Chem. Phys.",
    "jgr": "J. Geophys. Res.",
    "jqsrt": "J. Quant. Spec. Radiat. Transf.",
    "memsai": "Mem. Soc. Astron. Italiana",
    "nphysa": "Nucl. Phys. A",
    "physrep": "Phys. Rep.",
    "physscr": "Phys. Scr",
    "planss": "Planet. Space Sci.",
    "procspie": "Proc. SPIE",
}

#: Accents written as a control symbol (``\\"u``).
SYMBOL_ACCENTS: Final[dict[str, str]] = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    '"': "\u0308",
    "=": "\u0304",
    ".": "\u0307",
}
#: Accents written as a control word (``\\v{c}``, ``\\v c``).
LETTER_ACCENTS: Final[dict[str, str]] = {
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
    "G": "\u030f",
}
#: What an accent with an empty argument (``\\~{}``) prints.
SPACING_ACCENTS: Final[dict[str, str]] = {
    "\u0301": "´",
    "\u0300": "`",
    "\u0302": "^",
    "\u0303": "~",
    "\u0308": "¨",
    "\u0304": "¯",
    "\u0307": "˙",
    "\u0306": "˘",
    "\u030c": "ˇ",
    "\u030b": "˝",
    "\u0327": "¸",
    "\u0328": "˛",
    "\u030a": "˚",
}
#: Accents below the letter (they keep the dot of ``\\i``, ``\\j``).
_BELOW: Final = frozenset({"\u0327", "\u0328", "\u0323", "\u0331"})

ESCAPES: Final = frozenset("&%$#_{}")


def accent(base: str, mark: str) -> str:
    """*base* with the combining *mark* on its first character, composed (NFC)."""
    base = base.lstrip(" ")
    if not base:
        return SPACING_ACCENTS.get(mark, "")
    first = base[0]
    if mark not in _BELOW:
        first = {"ı": "i", "ȷ": "j"}.get(first, first)
    end = 1
    while end < len(base) and unicodedata.combining(base[end]):
        end += 1
    return unicodedata.normalize("NFC", first + base[1:end] + mark + base[end:])
