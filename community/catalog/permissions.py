"""Who may change the catalog."""


def can_add_platform(user) -> bool:
    return user.is_authenticated and (user.is_moderator or user.trust_level >= 1)
