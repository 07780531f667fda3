from django.shortcuts import render

from koers.accounts.constants import Role
from koers.accounts.decorators import role_required


@role_required(Role.PRIVACY_OFFICER)
def log(request):
    return render(request, "audit/log.html")


@role_required(Role.PRIVACY_OFFICER)
def break_glass_list(request):
    return render(request, "audit/break_glass_list.html")
