"""Words the French catalogue translates in one sense ("Withdraw" the case, an "Open" task, the
verb "Record", a "High" priority) get a context where they mean something else: the consent tab's
withdraw button, the trafficking tab's link to a draft, its "Record" column header and the
return-risk levels. (The child-protection tab's "Record" button is the verb: no context.)

These templates are not all the child-protection app's: the check sits here with the catalogue
entries this app's fixes brought."""

import pytest
from django.template import engines
from django.templatetags.i18n import TranslateNode
from django.utils import translation
from django.utils.translation import gettext, pgettext

from awda.screening.trafficking.choices import RiskLevel


def translate_nodes(template_name):
    template = engines["django"].get_template(template_name).template
    return [
        node
        for node in template.nodelist.get_nodes_by_type(TranslateNode)
        if not node.asvar and node.filter_expression.var.literal is not None
    ]


def contexts_of(template_name, msgid):
    return {
        str(node.message_context.var) if node.message_context else None
        for node in translate_nodes(template_name)
        if node.filter_expression.var.literal == msgid
    }


@pytest.mark.parametrize(
    ("template_name", "msgid", "context"),
    [
        ("consent/tab.html", "Withdraw", "consent"),
        ("trafficking/tab.html", "Open", "open a record"),
        ("trafficking/tab.html", "Record", "column"),
        ("child_protection/tab.html", "Record", None),
    ],
)
def test_templates_give_the_word_its_context(template_name, msgid, context):
    assert contexts_of(template_name, msgid) == {context}


# (context or None, msgid, French). Called through variables, so that makemessages does not
# take this file for a source of the catalogue.
FRENCH = [
    ("consent", "Withdraw", "Retirer le consentement"),
    ("open a record", "Open", "Ouvrir"),
    ("column", "Record", "Fiche"),
    # the other senses keep their translation
    (None, "Withdraw", "Retirer la demande"),
    (None, "Open", "En cours"),
    (None, "Record", "Enregistrer"),
    (None, "High", "Haute"),
]


@pytest.mark.parametrize(("context", "msgid", "french"), FRENCH)
def test_french_says_what_each_context_means(context, msgid, french):
    with translation.override("fr"):
        assert (pgettext(context, msgid) if context else gettext(msgid)) == french


def test_risk_levels_in_french():
    with translation.override("fr"):
        assert [str(label) for label in RiskLevel.labels] == ["Faible", "Moyen", "Élevé", "Extrême"]
