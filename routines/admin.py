from django.contrib import admin

from .models import Exercise, Muscle, Program, ProgramDay, Routine, RoutineStep


@admin.register(Muscle)
class MuscleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "chain", "order")
    list_filter = ("chain",)
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "hold_seconds", "repetitions", "sides")
    list_filter = ("kind", "level", "muscles", "sides")
    search_fields = ("name", "slug", "summary", "instructions")
    filter_horizontal = ("muscles",)
    prepopulated_fields = {"slug": ("name",)}


class RoutineStepInline(admin.TabularInline):
    model = RoutineStep
    extra = 1
    autocomplete_fields = ("exercise",)
    fields = ("order", "exercise", "hold_seconds", "repetitions", "sides", "note")


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ("name", "chain", "level", "estimated_minutes", "order")
    list_filter = ("chain", "level")
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RoutineStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_steps()


class ProgramDayInline(admin.TabularInline):
    model = ProgramDay
    extra = 0
    autocomplete_fields = ("routine",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "goal", "weeks")
    list_filter = ("goal",)
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ProgramDayInline]
