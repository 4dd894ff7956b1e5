"""The way from draft to published: sign-offs (审核) and their digests, and ``jiandi approve``.

A stage after ``content`` and ``media`` and before ``check``: ``check`` asks it whether every
public record's sign-offs still hold. It never imports ``check`` itself: ``jiandi approve``
is handed the validator by the command line."""
