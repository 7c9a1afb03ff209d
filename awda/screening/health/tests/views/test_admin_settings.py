from django.contrib import admin

from awda.accounts.models import User
from awda.audit.models import AuditEvent
from awda.screening.health.models import MissionHealthSettings
from awda.screening.health.selectors import fitness_validity_days


def test_administrators_set_the_validity_per_mission_and_it_is_audited(client, morocco, guinea):
    assert admin.site.is_registered(MissionHealthSettings)
    root = User.objects.create_superuser("root", "root@example.org", "x-long-pass-2026")
    client.force_login(root)
    response = client.post(
        "/admin/health/missionhealthsettings/add/",
        {"mission": morocco.pk, "fitness_validity_days": 5},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert fitness_validity_days(morocco.pk) == 5
    assert fitness_validity_days(guinea.pk) == 7  # no setting: the code default
    assert AuditEvent.objects.filter(
        action="health.missionhealthsettings.created", actor=root
    ).exists()
    response = client.post(
        "/admin/health/missionhealthsettings/add/",
        {"mission": guinea.pk, "fitness_validity_days": 400},
    )
    assert response.status_code == 200  # refused: at most 365 days
    assert not MissionHealthSettings.objects.filter(mission=guinea).exists()
