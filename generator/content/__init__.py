"""The content stage: records read, validated and checked against each other."""
