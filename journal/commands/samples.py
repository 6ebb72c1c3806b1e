"""The sample journal's files, known by content: what ``python -m journal init`` may remove or replace.

Each path (relative to the project root, ``/``-separated) maps to the SHA-256 of the sample's
bytes. A file is a sample only while its content still has that hash: a sample the user edited,
and any file not listed here, is never deleted or overwritten (``init`` reports it instead).
The samples are self-contained: sample notes link to sample posts, sample posts and notes use
glossary terms, and nothing outside this list links to them (the pages ``init`` rewrites name
only ``posts/index``, ``notes/index``, ``glossary`` and ``about``). ``tests/test_init.py`` checks
that every hash matches the repository's file, so changing a sample means updating its hash here.
"""

from __future__ import annotations

#: Sample posts, notes and images: removed by ``init`` (unless ``--keep-samples``).
REMOVED: dict[str, str] = {
    "notes/code/index.md": "cf86ff7b0c4e3fd524c6f05fdd77a9bb5c7ef804138988792d0db1cf26b187cf",
    "notes/code/openstackclient.md": "e62b6010ec8c852e0ee3ff8a880ca89adb5ff4890168ca85026e0bc05e1a0b71",
    "notes/code/openstacksdk.md": "4fcb6b45b72eacc29814b235507867558570f037a160e5427d07c9a239dc285d",
    "notes/contribution/gerrit-review.md": "27ec5aa0d29db977ff7a3c3694cc13e072a8132596e04e394938b9ccf27b7748",
    "notes/contribution/index.md": "e9db6b889a3d33c860b1dda7d5ef5a7fdf117b36bac4e74092001874e54e9fe0",
    "notes/contribution/zuul-ci.md": "f77a5d0698294751b01fdf6b0715294c119b302f7cd1f64edc7beb0bd0fa54ad",
    "notes/dev-env/devstack.md": "a772dd04cc16d5ec9c665e04b60fa16a25175a523bcbc15a161a88473fa0ec21",
    "notes/dev-env/functional-tests.md": "5d6cc10e2f450d3ee1290ba06d53c0cfc846cd26a394fb5ba1bfc0a416ce2ccd",
    "notes/dev-env/index.md": "57b21fa8a42caa525128b097adbc6b603c8554b1ebdcd599b66ecc205c48bf32",
    "notes/dev-env/tox.md": "8ea82ef7f5c3abddb9d807ffd08e17548d0281d3a163e2aa1904955d67b67c31",
    "posts/2025/04-12-ossca-start.md": "8c6bfe61c8d355e5e3c32c3e2b687b43e593dcc25c7104f09cf004df3a99cf4c",
    "posts/2025/04-26-devstack.md": "10d22cffc2a9a96c020181f2021fce5fbfca9348f69ec2d9571bdbe748f12633",
    "posts/2025/05-03-sdk-proxy-layer.md": "117fd7d0eca22cefca496357251d27edf51712f097a43caaadb97ac5854e4a8c",
    "posts/2025/05-17-osc-command-structure.md": "7325f37d35bcdb1a8c3412c02db4dbcf088a1832065f269dcd1cb48e314488ba",
    "posts/2025/05-24-study-log.md": "19edcb288d63cb7ef4b139ea449c6db67fabcf2b44b9c7871eea79e7b7d618a6",
    "posts/2025/06-07-gerrit-first-review.md": "558aa501b2a55c01689251a608e6e3a4e25f08c62f5d4b3df2b66216d5b58df8",
    "posts/2025/06-21-tox-testing.md": "70580195cbf802e77fbc4db50b5ee0c08d4e216eb7eac18f42dc0e66eb731b60",
    "posts/2025/07-05-midterm-retro.md": "afb051954f6bb6f2142e4758c35a6777896b40989b8dc7f24b4598e22b82141c",
    "posts/2025/07-26-zuul-ci.md": "7ffc4ee6acabbeadf598b125b8ce1cec31d874ff58b5eab2faae89fcfa2904b5",
    "posts/2025/08-16-functional-tests.md": "eea948dcb3732783a5d201d321b2a9d7dc9fe7a141a6557bb4178f82843c3c83",
    "posts/2025/09-20-final-retro.md": "10afda4a9533269edba284c267ca1093fdb060a328149a471f2dced95b387f4d",
    "posts/2025/09-30-draft-next-steps.md": "8c48d682f01d82a938c2cea712e44c0225f2507358240cab98f65e81e26c0ff0",
    "posts/2025/devstack-vm.svg": "f8c8089b8b94e322b9752583c5cec0f280a497fc1d0a8f1249da13f81589ebe2",
    "posts/2025/final-retro.svg": "2f68860be165059e4985719d192f49ab52c69609fe3cc82f769ee25ea3c30002",
}

#: Sample pages every journal has, rewritten by ``init`` for the user: the home page's
#: introduction, the about text, the glossary's terms and the notes book's index.
REPLACED: dict[str, str] = {
    "about.md": "07c80f4b8c0e76084edf9950c372bf57ad1669bcd4cf221bb7e02bc1929fd256",
    "glossary.md": "555d3827af6a41029d495a5ac5a2866835cf8e55ecba35fc0930d2bab7d8005d",
    "index.md": "34671ce41bba15d2454370b7a1e7b4fc8b73bccd53ede0d21faef724efeb23d4",
    "notes/index.md": "d908c859ef11c8bc9c8d3be7f183206335f3dbb27baeb50e83149fd961ee3584",
}

#: The sample author (``blog_authors``), kept only with ``--keep-samples`` (the sample posts name it).
SAMPLE_AUTHOR = ("bora", "김보라")
