# SPDX-License-Identifier: EUPL-1.2
"""A resident on a phone logs in with DigiD through a real OpenID Connect provider, reads their support,
withdraws a sharing consent (the partner's next request is a logged 404), downloads their data and asks for
erasure; the privacy officer grants it; afterwards no table and no file Omzien wrote holds the resident's name,
e-mail, phone, date of birth or public id —
in a real browser (Debian's Chromium), Dutch and English, axe-clean at 320 and 1280 px, with clear messages
on bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omzien.lib.testing.browser import axe_check, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def digid(settings: Any) -> Iterator[str]:
    """The demo's OpenID Connect provider on loopback, configured as the municipality's broker."""
    import copy

    from omzien.accounts.demo_provider import provider_running
    from omzien.accounts.oidc import metadata_forget

    with provider_running() as (issuer, _control):
        settings.OMZIEN_OIDC_ISSUER = issuer
        settings.OMZIEN_OIDC_SUBJECT_KEY = "browser-test-subject-key-of-forty-characters"
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(issuer)  # logging out ends at the provider
        settings.CONTENT_SECURITY_POLICY = policy
        metadata_forget()
        yield issuer
        metadata_forget()


def _no_sideways_scrolling(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width} px)"


def _tables_holding(values: list[str]) -> list[str]:
    """Every table.column whose text holds one of the values (the whole database, every text column)."""
    from django.db import connection

    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                for value in values:
                    cursor.execute(
                        f'SELECT 1 FROM "{table}" WHERE CAST("{column.name}" AS TEXT) LIKE %s LIMIT 1',  # noqa: S608 - names from introspection
                        [f"%{value}%"],
                    )
                    if cursor.fetchone():
                        found.append(f"{table}.{column.name}")
    return found


def _files_holding(root: Path, values: list[str]) -> list[str]:
    """Every file under ``root`` whose text holds one of the values (a PDF by its text, as pdftotext reads it)."""
    import subprocess

    found = []
    for path in sorted(item for item in root.rglob("*") if item.is_file()):
        data = path.read_bytes()
        if data.startswith(b"%PDF"):
            text = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
            ).stdout
        else:
            text = data.decode("utf-8", errors="replace")
        found += [f"{path.relative_to(root)}: {value}" for value in values if value in text]
    return found


def _unique_identity(resident: Any) -> None:
    """Give the demo resident a name, e-mail, phone and date of birth nobody else in the demo city has, so that
    every copy the flow below makes of them (export, PDF, request, mail, log) is found by the search at its end,
    whatever other synthetic residents happen to be called."""
    from datetime import date, timedelta

    from omzien.residents.models import Resident

    born = date(1901, 1, 1)
    while Resident.objects.filter(date_of_birth=born).exists():
        born += timedelta(days=1)
    Resident.objects.filter(pk=resident.pk).update(
        first_name="Wubbina", last_name="Zijlstra-Oudeboer", email="w.zijlstra-oudeboer@example.nl",
        phone="06-98765432", date_of_birth=born,
    )  # fmt: skip
    resident.refresh_from_db()
    if resident.user is not None:
        type(resident.user).objects.filter(pk=resident.user.pk).update(email=resident.email)


def _partner_shut_out_by_withdrawal(resident: Any) -> tuple[Any, Any]:
    """A partner organisation whose every active link to the resident needs the sharing consent, and a member
    of it whose role sees residents through those links."""
    from omzien.residents.models import ResidentLink, link_kinds

    kinds = link_kinds()
    links = list(
        ResidentLink.objects.filter(resident=resident, ended_at__isnull=True).select_related("organisation")
    )
    for organisation in {link.organisation for link in links}:
        own = [link for link in links if link.organisation_id == organisation.pk]
        if not all(link.kind in kinds and kinds[link.kind].needs_sharing_consent for link in own):
            continue
        roles = {str(role) for link in own for role in kinds[link.kind].fields}
        member = organisation.members.filter(groups__name__in=roles, is_active=True).first()
        if member is not None:
            return organisation, member
    raise AssertionError("the demo resident has no partner that sees them through a consent-bound link only")


def test_a_resident_logs_in_with_digid_withdraws_a_consent_downloads_asks_for_erasure_and_it_is_granted(
    live_server: Any, page: Any, narrow_page: Any, settings: Any, digid: str, tmp_path: Path
) -> None:
    from django.test import Client

    from omzien.accounts.demo import demo_usernames
    from omzien.accounts.roles import Role
    from omzien.audit.models import AccessLogEntry
    from omzien.lib.testing.demo import demo_city_for_tests
    from omzien.lib.testing.world import login_verified
    from omzien.residents.models import Resident

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    resident = Resident.objects.get(user__username=demo_usernames()[Role.RESIDENT])
    # The demo links the demo resident's DigiD under the key it was seeded with (the rights room's demo); a
    # city seeded once for many tests may predate this test's key, so the link is made under it here.
    from omzien.accounts.demo_provider import DEMO_BSN_LINKED
    from omzien.accounts.models import OidcIdentity
    from omzien.accounts.oidc import subject_hash

    OidcIdentity.objects.update_or_create(
        user=resident.user, defaults={"subject_hash": subject_hash(DEMO_BSN_LINKED)}
    )
    # What the demo seeded about them, searched for at the end where nobody else shares it; then the resident
    # gets details nobody else has, searched for everywhere.
    seeded = [value for value in (resident.email, resident.phone) if value]
    if Resident.objects.filter(first_name=resident.first_name, last_name=resident.last_name).count() == 1:
        seeded.append(resident.full_name)
    _unique_identity(resident)
    # Every file Omzien writes goes under tmp_path: uploaded and made files (the PDF export), the erasure journal,
    # uploads on their way in, and the application's log (in production on standard error: here a file).
    import logging

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    settings.OMZIEN_ERASURE_JOURNAL = str(tmp_path / "erasures.jsonl")
    log_file = logging.FileHandler(tmp_path / "omzien.log", encoding="utf-8")
    log_file.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(log_file)

    # The resident, on a 320 px phone: log in with DigiD at the provider, back to their start page.
    narrow_page.goto(live_server.url + "/account/inloggen/")
    axe_check(narrow_page)
    narrow_page.get_by_test_id("login-digid").click()
    narrow_page.wait_for_url(f"{digid}/oauth2/authorize?**")
    narrow_page.get_by_role("button", name="demo-bewoner").click()
    narrow_page.wait_for_url("**/account/start/")
    screenshot(narrow_page, "rights-digid-start-320")

    # My support: plan, referrals, activities, the chart.
    narrow_page.get_by_role("link", name="Mijn ondersteuning").first.click()
    narrow_page.wait_for_url("**/mijn/ondersteuning/")
    assert narrow_page.get_by_test_id("my-plan").is_visible()
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)
    screenshot(narrow_page, "rights-my-support-320")

    # My consents: withdraw the sharing with a partner that sees the resident only through consent-bound links.
    partner, coordinator = _partner_shut_out_by_withdrawal(resident)
    partner_client = Client()
    login_verified(partner_client, coordinator)
    detail = f"/bewoners/{resident.public_id}/"
    assert partner_client.get(detail).status_code == 200
    narrow_page.get_by_role("link", name="Mijn toestemmingen").first.click()
    narrow_page.wait_for_url("**/mijn/toestemmingen/")
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)
    card = narrow_page.get_by_test_id("consent").filter(has_text=partner.name)
    assert f"{partner.name} ziet uw gegevens" in card.get_by_test_id("consent-effect").inner_text()
    card.get_by_role("button").click()
    assert "Uw toestemming is ingetrokken" in narrow_page.content()
    screenshot(narrow_page, "rights-consent-withdrawn-320")
    # The partner's next request: a 404, and the attempt in the access log under the resident's pseudonym.
    assert partner_client.get(detail).status_code == 404
    denied = AccessLogEntry.objects.order_by("-sequence").first()
    assert denied is not None and (denied.outcome, denied.subject_resident_pseudo_id) == (
        "denied",
        resident.pseudo_id,
    )

    narrow_page.get_by_role("link", name="Mijn privacy").first.click()
    narrow_page.wait_for_url("**/mijn/privacy/")
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)

    # Download all my data, machine-readable: every room's section, their own name in it.
    with narrow_page.expect_download() as download:
        narrow_page.get_by_test_id("export-json").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert resident.last_name in json.dumps(data)
    assert {"resident", "measurements", "activities"} <= {section["key"] for section in data["sections"]}
    # All my data, readable: asked for, made by the task worker (the test's backend makes it at once), then
    # offered on the same page.
    narrow_page.get_by_test_id("export-pdf-make").click()
    narrow_page.get_by_test_id("export-pdf").wait_for()
    axe_check(narrow_page)
    _no_sideways_scrolling(narrow_page)
    with narrow_page.expect_download() as download:
        narrow_page.get_by_test_id("export-pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    # The PDF is kept in the database (rights.ExportPdf, binary: the text search cannot read it), until erasure.
    from omzien.rights.models import ExportPdf

    assert ExportPdf.objects.filter(resident=resident, pdf__isnull=False).exists()

    # An objection without saying what: a clear message, nothing sent.
    narrow_page.get_by_label("bezwaar maken tegen het gebruik van mijn gegevens (art. 21)").check()
    narrow_page.get_by_role("button", name="Verzoek versturen").click()
    assert narrow_page.get_by_role("alert").first.is_visible()
    assert "Zeg wat er moet veranderen" in narrow_page.content()
    axe_check(narrow_page)
    # Erasure.
    narrow_page.get_by_label("mijn gegevens wissen (art. 17)").check()
    narrow_page.get_by_role("button", name="Verzoek versturen").click()
    assert "Uw verzoek is ontvangen" in narrow_page.content()
    assert "mijn gegevens wissen" in narrow_page.get_by_test_id("my-requests").inner_text()
    screenshot(narrow_page, "rights-requested-320")

    # The statements in the footer, on the phone.
    for name in ("Toegankelijkheidsverklaring", "Cookies", "Privacyverklaring"):
        narrow_page.get_by_role("contentinfo").get_by_role("link", name=name).click()
        axe_check(narrow_page)
        _no_sideways_scrolling(narrow_page)
    narrow_page.get_by_role("link", name="Wie welke gegevens van u ziet").click()
    axe_check(narrow_page)

    # Logging out ends the session here and at the provider, which sends the browser back home.
    narrow_page.locator("form[action='/account/uitloggen/'] button").first.click()
    narrow_page.wait_for_url(f"{digid}/oauth2/end_session?**")
    narrow_page.get_by_role("button", name="End session").click()
    narrow_page.wait_for_url(live_server.url + "/")
    narrow_page.goto(live_server.url + "/mijn/privacy/")
    assert "/account/inloggen/" in narrow_page.url

    # The privacy officer, at 1280 px, in English: the queue, a decision without reasons, then the grant.
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.locator("form:has(input[value='privacy_officer']) button").click()
    page.wait_for_url("**/account/start/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Privacy requests").click()
    axe_check(page)
    page.get_by_role("link", name="erase my data (art. 17)").first.click()
    assert resident.last_name in page.get_by_test_id("request-facts").inner_text()
    page.get_by_label("grant").check()
    page.get_by_role("button", name="Record the decision").click()
    assert "Give the reasons for the decision" in page.content()
    axe_check(page)
    page.get_by_label("grant").check()
    page.get_by_label("Reasons").fill("No legal ground to keep the data any longer.")
    page.get_by_role("button", name="Record the decision").click()
    assert "What the erasure did" in page.content()
    assert page.get_by_test_id("erasure-removed").is_visible()
    assert resident.last_name not in page.content()
    axe_check(page)
    screenshot(page, "rights-erased-1280")

    # Nothing in the database or in any file Omzien wrote names the resident any more: their name, e-mail, phone,
    # date of birth (as stored and as shown) and public id. The access log (the legal hold of NEN 7513) keeps the
    # record's former public id as the object of its entries, which nothing resolves to a person now; the
    # erasure journal holds the pseudonymous id only.
    logging.getLogger().removeHandler(log_file)
    log_file.close()
    assert resident.date_of_birth is not None
    details = [resident.first_name, resident.last_name, resident.email, resident.phone,
               resident.date_of_birth.isoformat(), resident.date_of_birth.strftime("%d-%m-%Y")]  # fmt: skip
    assert _tables_holding([*details, *seeded]) == []
    assert _tables_holding([str(resident.public_id)]) in ([], ["audit_accesslogentry.object_id"])
    assert (tmp_path / "omzien.log").stat().st_size > 0, (
        "the log file caught nothing: the search would prove nothing"
    )
    assert (tmp_path / "erasures.jsonl").read_text().count(str(resident.pseudo_id)) == 1
    assert _files_holding(tmp_path, [*details, *seeded, str(resident.public_id)]) == []
    assert not Resident.objects.filter(pk=resident.pk).exists()
    assert not ExportPdf.objects.filter(resident_id=resident.pk).exists()


def test_a_new_resident_links_their_first_digid_login_with_the_code_from_their_professional(
    live_server: Any, page: Any, settings: Any, digid: str
) -> None:
    """At 1280 px in English: the professional makes a link code on a client's page; the resident's first DigiD
    login asks for it (a wrong code is refused clearly), then lands on their own pages; a forged answer from
    the provider gets the refusal page."""
    from omzien.accounts.roles import Role
    from omzien.lib.testing.demo import demo_city_for_tests
    from omzien.residents.permissions import residents_visible_to

    settings.OMZIEN_DEMO = True
    demo_city_for_tests()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.locator(f"form:has(input[value='{Role.NEIGHBOURHOOD_PROFESSIONAL.value}']) button").click()
    page.wait_for_url("**/account/start/")
    from omzien.accounts.demo import demo_usernames
    from omzien.accounts.models import User

    professional = User.objects.get(username=demo_usernames()[Role.NEIGHBOURHOOD_PROFESSIONAL])
    client = residents_visible_to(professional).filter(user__isnull=True).order_by("pk").first()
    assert client is not None
    page.goto(f"{live_server.url}/bewoners/{client.public_id}/")
    page.get_by_test_id("make-link-code").click()
    code = page.get_by_test_id("link-code").inner_text().strip()
    assert len(code.replace("-", "")) == 12
    axe_check(page)
    screenshot(page, "rights-link-code-1280")
    page.locator("form[action='/account/uitloggen/'] button").first.click()
    page.wait_for_url(live_server.url + "/")

    # A forged answer (a state this browser never started): the refusal page, in English.
    page.goto(f"{live_server.url}/account/digid/terug/?code=forged&state=forged")
    assert page.get_by_test_id("oidc-refused").get_attribute("data-reason") == "state"
    assert "Logging in with DigiD did not work" in page.content()
    axe_check(page)
    screenshot(page, "rights-digid-refused-1280")

    # The resident's first DigiD login: the link page, a wrong code, then the right one.
    page.goto(live_server.url + "/account/inloggen/")
    page.get_by_test_id("login-digid").click()
    page.wait_for_url(f"{digid}/oauth2/authorize?**")
    page.get_by_role("button", name="nieuwe-bewoner").click()
    page.wait_for_url("**/mijn/koppelen/")
    axe_check(page)
    page.get_by_label("Link code").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Link my DigiD").click()
    assert "This link code is not valid" in page.content()
    axe_check(page)
    page.get_by_label("Link code").fill(code.lower())
    page.get_by_role("button", name="Link my DigiD").click()
    page.wait_for_url("**/account/start/")
    assert "Your DigiD is now linked to your record" in page.content()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My support").click()
    page.wait_for_url("**/mijn/ondersteuning/")
    assert client.first_name in page.content() or page.get_by_test_id("my-plan").is_visible()
    axe_check(page)
    screenshot(page, "rights-my-support-1280")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My consents").click()
    axe_check(page)
    screenshot(page, "rights-my-consents-1280")
    client.refresh_from_db()
    assert client.user is not None and not client.user.has_usable_password()
