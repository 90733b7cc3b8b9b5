// Empty: only the link matters.
