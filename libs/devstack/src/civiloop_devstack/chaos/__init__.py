"""The chaos harness: the load generator's district under steady load while services, the
broker and the store fail, then the account of what was lost, doubled and dead-lettered."""
