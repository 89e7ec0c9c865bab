"""Background work: long jobs run as tasks in a database queue, executed by `sightline worker`."""
