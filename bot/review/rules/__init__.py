"""The rule catalogue, one module per family of DOMAIN.md §4; importing a module registers its rules."""
