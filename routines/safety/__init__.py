"""Safety: the one source of the warning signs, the health-screen conditions and the flare-up plan."""
