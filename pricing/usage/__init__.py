"""Usage logs: measured token volumes and statistics read from what the providers and gateways log."""
