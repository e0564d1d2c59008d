"""What a link says about itself, before anyone opens it (see the findings table in
`bot.core.scam_check`). Nothing here fetches the link: shorteners stay unexpanded, because
opening a scam link can itself tell the scammer the number is live."""

from __future__ import annotations

import re

from bot.core.scam_check import PLATFORMS, SHORTENERS, Finding, Item
from bot.scam.items import link_item
from bot.scam.lookalike import OfficialName, imitation

_LOGIN_PATH = re.compile(
    r"(?i)(log-?in|sign-?in|logon|verify|verif|update|kemaskini|secure|account|akaun|"
    r"password|otp|tac|bayar|pay(ment)?|checkout|refund|claim|tuntut|wallet|bank)"
)
_GOV_MY = re.compile(r"(?i)gov[.\-_]?my")


class LinkSignals:
    """A `LinkInspector` over the staff's official domains (responses/scam_lists/)."""

    def __init__(
        self,
        officials: list[OfficialName],
        official_hosts: dict[str, str],
        not_official: frozenset[str] = frozenset(),
    ) -> None:
        """`officials`: names scams imitate; `official_hosts`: host or domain → brand, for
        the links that are official (a domain covers its subdomains); `not_official`: hosts
        under an official domain that are not official sites (staging hosts)."""
        self._officials = officials
        self._hosts = official_hosts
        self._not_official = not_official
        # logon.rhb.com.my is official; www.rhb.com.my is RHB's own name, merely unlisted.
        self._own_domains = frozenset(
            item.domain for item in map(link_item, official_hosts) if item is not None
        )

    def official(self, link: Item) -> tuple[str, str] | None:
        """(the listed domain or host, its brand) when `link` is on an official site."""
        host = link.host
        while host:
            if host in self._hosts:
                return host, self._hosts[host]
            host = host.partition(".")[2]
        return None

    def inspect(self, link: Item) -> list[Finding]:
        if link.value.endswith(":") and not link.host:
            return [Finding("script_link", link)]
        if link.host in self._not_official:
            return []
        official = self.official(link)
        if official is not None:
            return [Finding("official", link, detail=official[0], brand=official[1])]
        found: list[Finding] = []
        if link.path.lower().endswith(".apk"):
            found.append(Finding("apk", link))
        if link.domain == link.host and re.fullmatch(r"[\d.:\[\]a-f]+", link.host):
            found.append(Finding("bare_ip", link))
            if _LOGIN_PATH.search(link.path):
                found.append(Finding("login_path", link))
            return found
        if link.domain in SHORTENERS:
            return [*found, Finding("shortener", link)]
        if _GOV_MY.search(link.host) and not (
            link.host == "gov.my" or link.host.endswith(".gov.my")
        ):
            found.append(Finding("gov_my_outside", link))
        if not link.host.isascii():
            found.append(Finding("unicode_host", link))
        if link.domain in PLATFORMS or link.domain in self._own_domains:
            return found
        copied = imitation(link.host, link.domain, self._officials)
        if copied is not None:
            found.append(
                Finding(
                    copied.code, link, detail=copied.official.domain, brand=copied.official.brand
                )
            )
        if _LOGIN_PATH.search(link.path) or _LOGIN_PATH.search(link.host.replace(link.domain, "")):
            found.append(Finding("login_path", link))
        return found
