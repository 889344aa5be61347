"""How much pain during an exercise is acceptable, and what to do in a flare-up: the one text used
by the flare-up page, the warnings and the reminder email in easing mode."""

ACCEPTABLE_PAIN = (
    "Mild discomfort or a stretching feeling during an exercise is fine, as long as it settles by the next day. "
    "Sharp pain, pain that spreads down a leg, or pain that lasts into the next day is not: stop that exercise "
    "and use the easier version, or leave it out."
)

FLARE_PLAN = (
    "Keep moving gently: short walks around the house or the street, several times a day, beat bed rest.",
    "Swap today's routine for the easing routine, or do only the moves that feel comfortable.",
    "Leave out self-massage on the sore area until it settles.",
    "Ease the pain the way that works for you: a warm pack or a cool pack for 15 minutes, and the pain relief "
    "a pharmacist suggests.",
    "Change position often: sit for no more than 30 minutes at a time.",
    "Most flare-ups settle within a few days to a couple of weeks. Go back to your usual plan step by step.",
    "Check the warning signs below. If none apply but it is no better after two weeks, book a doctor or "
    "physiotherapist.",
)
