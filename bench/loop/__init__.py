"""The loop benchmark (`make bench-loop`): the closed loop against its raw limits."""
