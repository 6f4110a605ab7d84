"""Every read of the experts app, scoped to the user, in a fixed number of queries (modules import explicitly)."""
