"""Turn a file or a stored message into text with locations (see ``model``)."""
