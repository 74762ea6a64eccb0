"""FDE Press."""
