"""Actions on an admin list, refusing ids no item could have with a sentence."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect


def may_be_an_id(opts, value):
    """Whether an item of the model `opts` describes could have the id `value`: not
    "x", "²" or 10**20 where ids are whole numbers a database integer holds."""
    try:
        opts.pk.clean(value, None)
    except ValidationError:
        return False
    return True


class ActionIdsChecked:
    """A ModelAdmin whose list refuses an action on chosen ids that no item could have
    (a crafted post): Django's own filters on them and fails (a 500)."""

    def response_action(self, request, queryset):
        chosen = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(may_be_an_id(self.opts, value) for value in chosen):
            self.message_user(
                request,
                f"Nothing was done: choose {self.opts.verbose_name_plural} from the list.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)
