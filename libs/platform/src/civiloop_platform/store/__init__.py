"""MongoDB for a service: its database, the unit of work, outbox, inbox and leases."""
