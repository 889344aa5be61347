from django import forms

from .selfcheck import CAUSES, PELVIS_CHOICES


class SelfCheckForm(forms.Form):
    pelvis = forms.ChoiceField(
        label="When you walk or stand for a while, what does your pelvis do?",
        choices=PELVIS_CHOICES,
        widget=forms.RadioSelect,
        help_text="Stand side-on to a mirror, or ask someone to watch you walk.",
    )
    causes = forms.MultipleChoiceField(
        label="Which of these apply to you?",
        choices=[(slug, title) for slug, (title, _advice) in CAUSES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
