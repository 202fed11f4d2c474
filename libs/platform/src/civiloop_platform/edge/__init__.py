"""The HTTP edge every service shares: the request guard, the error shape, parameter types."""
