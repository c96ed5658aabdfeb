def document() -> dict:
    return {}
