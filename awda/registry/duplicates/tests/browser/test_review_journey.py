"""Issue 7's review, in a real browser (French UI): Ousmane registered in Rabat and again in
Oujda; the Rabat manager runs the detection, finds the pair at the top of the queue, compares the
two records side by side, keeps the Rabat record and merges; the Oujda case now lists the Rabat
record; then the manager undoes the merge and the Oujda case has its own record back."""

import pytest
from playwright.sync_api import expect

from awda.cases.models import CaseMember
from awda.cases.tests.browser.test_register_to_eligible import log_in
from awda.registry.duplicates.models import PersonMerge

pytestmark = pytest.mark.browser


def test_manager_finds_the_pair_merges_it_and_undoes_it(
    page, live_server, rabat_case, oujda_case, manager
):
    keep, gone = rabat_case.principal, oujda_case.principal
    log_in(page, manager.username)
    page.get_by_test_id("nav-duplicates").click()
    expect(page.get_by_test_id("queue-empty")).to_be_visible()

    page.get_by_test_id("run-now").click()
    expect(page.get_by_test_id("run-progress")).to_have_attribute("data-status", "done")
    page.get_by_test_id("run-to-queue").click()

    rows = page.get_by_test_id("pair-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("DIALLO")
    rows.first.get_by_test_id("pair-open").click()

    expect(page.get_by_test_id("pair-person")).to_have_count(2)
    expect(page.get_by_test_id("side-by-side")).to_contain_text("R1234567")
    expect(page.get_by_test_id("side-by-side")).to_contain_text("CC-998877")
    form = page.get_by_test_id("merge-form")
    form.locator(f'input[name="survivor"][value="{keep.pk}"]').check()
    form.locator('input[name="confirm"]').check()
    form.get_by_test_id("merge-submit").click()

    expect(page.get_by_test_id("merge-status")).to_have_attribute("data-status", "merged")
    expect(page.get_by_test_id("merge-items")).to_be_visible()
    assert CaseMember.objects.get(case=oujda_case).person_id == keep.pk
    merge = PersonMerge.objects.get()
    assert merge.survivor_id == keep.pk and merge.merged_id == gone.pk

    undo = page.get_by_test_id("undo-form")
    undo.locator('input[name="confirm"]').check()
    undo.get_by_test_id("undo-submit").click()
    expect(page.get_by_test_id("merge-status")).to_have_attribute("data-status", "undone")
    assert CaseMember.objects.get(case=oujda_case).person_id == gone.pk

    page.get_by_test_id("breadcrumb-merges").click()
    expect(page.get_by_test_id("merge-row")).to_have_count(1)


def test_the_preview_of_what_is_filled_follows_the_record_chosen(
    page, live_server, sparse_pair, manager
):
    pair, keep, gone = sparse_pair
    log_in(page, manager.username)
    page.goto(f"{live_server.url}/duplicates/pairs/{pair.pk}/")
    form = page.get_by_test_id("merge-form")
    kept = form.locator(f'[data-testid="merge-fill-preview"][data-survivor="{keep.pk}"]')
    other = form.locator(f'[data-testid="merge-fill-preview"][data-survivor="{gone.pk}"]')
    expect(kept).to_be_visible()
    expect(kept).to_contain_text("1982")
    expect(kept).to_contain_text("+212 600 11 22 33")
    expect(other).to_be_hidden()

    form.locator(f'input[name="survivor"][value="{gone.pk}"]').check()
    expect(other).to_be_visible()
    expect(kept).to_be_hidden()
    form.locator(f'input[name="survivor"][value="{keep.pk}"]').check()
    expect(kept).to_be_visible()
