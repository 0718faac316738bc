"""The programme lead adapts the programme's framework: area descriptions, prompts and scale labels."""
