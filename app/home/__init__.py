"""The home page: what each person does next, and /healthz."""
