"""The self-check: which chain the posture points to, what to do about each cause.

Self-observation, not diagnosis: every result carries the disclaimer and the
warning signs that need a clinician instead.
"""

from dataclasses import asdict, dataclass, field

from .models import Chain, Muscle, Program, Routine
from .safety import warning_signs as signs

PELVIS_CHOICES = [
    ("tuck", "I tuck my pelvis under when I walk (flat lower back, tail tucked)"),
    ("arch", "I over-arch my lower back when I walk (tail sticks out)"),
    ("unsure", "I am not sure, or neither"),
]

PELVIS_TO_CHAIN = {"tuck": Chain.POSTERIOR, "arch": Chain.ANTERIOR, "unsure": Chain.BOTH}

CHAIN_EXPLANATION = {
    Chain.POSTERIOR: (
        "Tucking the pelvis while you walk is often the body working around tight muscles at the back of the hip. "
        "Start with the posterior chain: gluteus medius, gluteus minimus and piriformis, plus the quadratus lumborum."
    ),
    Chain.ANTERIOR: (
        "Over-arching the lower back while you walk often comes from tight hip flexors pulling the pelvis forward. "
        "Start with the anterior chain: TFL, iliacus and psoas, plus the quadratus lumborum."
    ),
    Chain.BOTH: (
        "When the posture does not point one way, work both chains evenly for two weeks, then repeat the self-check "
        "and notice which routines bring the most relief. The quadratus lumborum is included either way."
    ),
}

QL_ROUTINE_SLUG = "ql-release"
WALKING_RELIEF_SLUG = "walking-relief"
STRENGTH_STARTER_SLUG = "hip-strength-basics"
FLEXIBILITY_PROGRAM_SLUG = "flexible-back"
STRENGTH_PROGRAM_SLUG = "strong-back"

# The release routines that start each chain's work, before the QL and walking-relief routines.
CHAIN_ROUTINES = {
    Chain.POSTERIOR: ["posterior-chain-release"],
    Chain.ANTERIOR: ["front-hip-release"],
    Chain.BOTH: ["full-chain-reset", "posterior-chain-release", "front-hip-release"],
}

# cause slug -> (short title, advice). Ordered as the questionnaire lists them.
CAUSES = {
    "prolonged-standing-walking": (
        "Standing or walking for long periods",
        "Break long stretches on your feet into blocks: every 30–45 minutes shift your weight, rest one foot on a "
        "low step, or sit for two minutes. Keep the walking-relief routine for breaks at work, and choose cushioned, "
        "supportive shoes.",
    ),
    "excess-weight": (
        "Extra body weight",
        "Every kilogram you carry adds load to the small joints of the lower back. Low-impact activity such as "
        "walking in short bouts, cycling or swimming, together with the strengthening program, eases that load; "
        "ask your doctor or a dietitian for a plan that suits you.",
    ),
    "poor-posture": (
        "Posture",
        "Notice how you stand: weight spread over both feet, knees soft, ribs stacked over the pelvis. Set a cue to "
        "check it a few times a day, and set up your desk so the screen is at eye level and your feet rest flat.",
    ),
    "inactivity": (
        "Not moving much",
        "Muscles that are seldom used weaken and stiffen. Start small: a 10-minute routine most days and a short "
        "walk you lengthen week by week. The strengthening program builds the support your back is missing.",
    ),
    "muscle-tightness": (
        "Tight muscles",
        "Tight fibres pull on the joints around them. Pair each stretch with self-massage of the same muscle: release "
        "the knot first, then stretch the muscle through its length. Gentle and regular beats hard and rare.",
    ),
}

# Every sign of the three tiers, most urgent first: the flat list the first API version returned.
WARNING_SIGNS = [sign for tier in signs.tiers() for sign in tier.signs]

DISCLAIMER = (
    "This self-check is self-observation, not a diagnosis. If you notice any of the warning signs below, "
    "stop the exercises and get help as their group says."
)


@dataclass(frozen=True)
class Advice:
    cause: str
    title: str
    advice: str


@dataclass
class SelfCheckResult:
    pelvis: str
    causes: list[str]
    chain: str
    explanation: str
    muscles: list[str]
    routines: list[str]
    program: str | None
    advice: list[Advice] = field(default_factory=list)
    warning_signs: list[str] = field(default_factory=lambda: list(WARNING_SIGNS))
    warning_tiers: list[dict] = field(default_factory=lambda: signs.as_api()["tiers"])
    disclaimer: str = DISCLAIMER

    def as_dict(self):
        return asdict(self)


def assess(*, pelvis: str, causes: list[str]) -> SelfCheckResult:
    """Map the answers to a chain, its muscles (always with the QL), routines, a program and advice."""
    if pelvis not in PELVIS_TO_CHAIN:
        raise ValueError(f"unknown pelvis answer {pelvis!r}")
    unknown = set(causes) - set(CAUSES)
    if unknown:
        raise ValueError(f"unknown causes {sorted(unknown)}")
    chain = PELVIS_TO_CHAIN[pelvis]
    ordered_causes = [cause for cause in CAUSES if cause in causes]

    chains = [Chain.POSTERIOR, Chain.ANTERIOR, Chain.BOTH] if chain == Chain.BOTH else [chain, Chain.BOTH]
    muscles = list(Muscle.objects.filter(chain__in=chains).values_list("slug", flat=True))

    wants_strength = {"inactivity", "excess-weight"} & set(ordered_causes)
    wanted = [*CHAIN_ROUTINES[chain], QL_ROUTINE_SLUG, WALKING_RELIEF_SLUG]
    if wants_strength:
        wanted.append(STRENGTH_STARTER_SLUG)
    found = set(Routine.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    routine_slugs = [slug for slug in dict.fromkeys(wanted) if slug in found]

    program_slug = STRENGTH_PROGRAM_SLUG if wants_strength else FLEXIBILITY_PROGRAM_SLUG
    program = Program.objects.filter(slug=program_slug).values_list("slug", flat=True).first()

    return SelfCheckResult(
        pelvis=pelvis,
        causes=ordered_causes,
        chain=chain.value,
        explanation=CHAIN_EXPLANATION[chain],
        muscles=muscles,
        routines=routine_slugs,
        program=program,
        advice=[Advice(cause, *CAUSES[cause]) for cause in ordered_causes],
    )
