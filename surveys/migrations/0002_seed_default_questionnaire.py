"""The default questionnaire and its first version, so every closed request can be rated from day one."""

from django.db import migrations

DEFAULT = {
    "intro_ar": "قيّم الخدمة التي حصلت عليها. إجابتك مجهولة: لا نعرف من أجاب، ونستخدمها لتحسين خدماتنا فقط.",
    "intro_en": "Rate the service you received. Your answer is anonymous: we cannot tell who answered, "
    "and we use it only to improve our services.",
    "overall_ar": "ما تقييمك العام للخدمة؟",
    "overall_en": "Overall, how would you rate the service?",
    "ask_speed": True,
    "ask_clarity": True,
    "ask_courtesy": True,
    "ask_ease": True,
    "recommend_ar": "ما مدى احتمال أن توصي بخدمات الجمعية لمزارع آخر؟",
    "recommend_en": "How likely are you to recommend the cooperative's services to another farmer?",
    "comment_ar": "هل لديك ملاحظة تساعدنا على التحسين؟ (اختياري)",
    "comment_en": "Anything that would help us improve? (optional)",
}


def forward(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    QuestionnaireVersion = apps.get_model("surveys", "QuestionnaireVersion")
    questionnaire, created = Questionnaire.objects.get_or_create(
        code="default", defaults={"name": "الاستبانة العامة", "is_default": True, **DEFAULT}
    )
    if created:
        QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, content=DEFAULT)


def backward(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    QuestionnaireVersion = apps.get_model("surveys", "QuestionnaireVersion")
    QuestionnaireVersion.objects.filter(questionnaire__code="default", number=1, responses__isnull=True).delete()
    Questionnaire.objects.filter(code="default", versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_create_questionnaires_invitations_responses")]

    operations = [migrations.RunPython(forward, backward)]
