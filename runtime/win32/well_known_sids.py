"""WELL_KNOWN_SID_TYPE (winnt.h): the SID each names, for CreateWellKnownSid and
IsWellKnownSid. Most are fixed (an authority and sub-authorities); the account and domain
groups are a RID under the domain SID the caller gives."""
from __future__ import annotations

# type -> (authority, sub-authorities...): security.py's EVERYONE, USERS ... come from here
WIN_WORLD, WIN_AUTHENTICATED_USER, WIN_BUILTIN_ADMINISTRATORS, WIN_BUILTIN_USERS = 1, 17, 26, 27
FIXED = {
    0: (0, 0), 1: (1, 0), 2: (2, 0), 3: (3, 0), 4: (3, 1), 5: (3, 2), 6: (3, 3), 7: (5,),
    8: (5, 1), 9: (5, 2), 10: (5, 3), 11: (5, 4), 12: (5, 6), 13: (5, 7), 14: (5, 8),
    15: (5, 9), 16: (5, 10), 17: (5, 11), 18: (5, 12), 19: (5, 13), 20: (5, 14),
    22: (5, 18), 23: (5, 19), 24: (5, 20), 25: (5, 32),
    **{26 + i: (5, 32, rid) for i, rid in enumerate(
        (544, 545, 546, 547, 548, 549, 550, 551, 552, 554, 555, 556))},
    51: (5, 64, 10), 52: (5, 64, 21), 53: (5, 64, 14), 54: (5, 15), 55: (5, 1000),
    **{56 + i: (5, 32, rid) for i, rid in enumerate((557, 558, 559, 560, 561, 562, 568))},
    63: (5, 17), 64: (5, 32, 569),
    65: (16, 0), 66: (16, 4096), 67: (16, 8192), 68: (16, 12288), 69: (16, 16384),
    70: (5, 33), 71: (3, 4), 76: (5, 32, 573), 78: (5, 32, 574), 79: (16, 8448),
    80: (2, 0), 81: (2, 1), 82: (5, 65, 1), 83: (15, 2), 84: (15, 2, 1),
    **{85 + i: (15, 3, n) for i, n in enumerate((1, 2, 3, 4, 5, 6, 7, 9, 8, 10))},
    95: (5, 32, 575), 96: (5, 32, 576), 97: (5, 32, 577), 98: (5, 84, 0, 0, 0, 0, 0),
    99: (5, 32, 578), 101: (5, 32, 579), 102: (5, 32, 580), 103: (18, 1), 104: (18, 2),
    105: (5, 113), 106: (5, 114),
}
# type -> the RID under the caller's domain SID
DOMAIN_RELATIVE = {38: 500, 39: 501, 40: 502, 41: 512, 42: 513, 43: 514, 44: 515, 45: 516,
                   46: 517, 47: 518, 48: 519, 49: 520, 50: 553, 72: 571, 73: 572, 74: 498,
                   75: 521, 100: 522, 107: 525}


def well_known_sid(kind: int, domain: bytes | None) -> bytes | None:
    """The SID of a WELL_KNOWN_SID_TYPE, or None (unknown, or a domain group without the
    domain's SID, which Windows refuses with ERROR_INVALID_PARAMETER)."""
    from .security import sid
    if kind in FIXED:
        return sid(*FIXED[kind])
    if kind in DOMAIN_RELATIVE and domain is not None and domain[1] < 15:
        return bytes([domain[0], domain[1] + 1]) + domain[2:] + \
            DOMAIN_RELATIVE[kind].to_bytes(4, "little")
    return None
