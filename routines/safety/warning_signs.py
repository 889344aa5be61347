"""The warning signs, in three tiers of urgency: the one list every page, email, result and the API use.

Nothing else in the project states a warning sign in its own words: templates and emails
render these tiers (``{% warning_tiers %}``, ``{% emergency_sentence %}``), and a test
searches the templates and the seeded texts for the signs' key words to keep it that way.
"""

from dataclasses import asdict, dataclass

EMERGENCY, URGENT, SOON = "emergency", "urgent", "soon"


@dataclass(frozen=True)
class Tier:
    key: str
    title: str
    action: str
    signs: tuple[str, ...]

    def as_dict(self) -> dict:
        return {**asdict(self), "signs": list(self.signs)}


TIERS = (
    Tier(
        key=EMERGENCY,
        title="Emergency: act now",
        action=(
            "Call your emergency number (999 in the UK, 112 in the EU, 911 in North America) "
            "or go to an emergency department now."
        ),
        signs=(
            "You cannot control your bladder or bowels, or it has become hard to start or stop peeing",
            "Numbness or tingling around your genitals, your bottom or your inner thighs (the saddle area)",
            "Weakness or numbness in both legs, or sciatica down both legs",
            "New trouble getting or keeping an erection, or any other change in sexual function",
            "Sudden, severe weakness of a leg or a foot, such as a foot that drops or drags",
        ),
    ),
    Tier(
        key=URGENT,
        title="Urgent: see a doctor today",
        action="Stop the exercises and see a doctor today, or call your urgent-care line for advice.",
        signs=(
            "A fever, or feeling generally unwell, together with the back pain",
            "You have had cancer, or you are losing weight without trying",
            "The pain began after a fall, an accident or a blow (or after even a small fall if you have osteoporosis)",
            "Constant pain that is worse at night or when you lie down",
            "Pain in your chest, or pain between your shoulder blades",
            "You take steroids long-term, your immune system is weakened, or you inject drugs",
            "A lump, a swelling or a change in the shape of your back",
        ),
    ),
    Tier(
        key=SOON,
        title="Soon: book an appointment",
        action="Book an appointment with a doctor or a physiotherapist in the coming days.",
        signs=(
            "No better after two weeks of self-care, or getting steadily worse",
            "Pain, numbness or tingling running down one leg below the knee",
            "Leg pain or heaviness that comes on as you walk and eases when you sit or bend forward "
            "(this can be a narrowing of the spinal canal)",
            "Cramp in the calf when you walk that eases as soon as you stand still (this can be a circulation problem)",
            "Pain after one of the exercises here that lasts more than a day",
        ),
    ),
)

# The emergency tier in one sentence, for every page's footer and every email.
EMERGENCY_SENTENCE = (
    "Emergency: if you lose control of your bladder or bowels or find it hard to pee, feel numb around your "
    "genitals, bottom or inner thighs, have weakness, numbness or sciatica in both legs, notice a change in "
    "sexual function, or a leg or foot suddenly turns weak, call your emergency number or go to an "
    "emergency department now."
)

DISCLAIMER = (
    "Backcare is self-care guidance, not a diagnosis. With any of these signs, stop the exercises and get help "
    "as each group says."
)


def tiers() -> tuple[Tier, ...]:
    return TIERS


def tier(key: str) -> Tier:
    return next(t for t in TIERS if t.key == key)


def as_api() -> dict:
    """The body of ``GET /api/v1/warning-signs/``: the tiers in order emergency, urgent, soon."""
    return {"tiers": [t.as_dict() for t in TIERS]}
