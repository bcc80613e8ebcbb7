"""rls_iron: a plain-language patient guide to iron treatment for restless legs syndrome."""
