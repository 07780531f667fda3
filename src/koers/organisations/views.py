from django.shortcuts import render

from koers.accounts.constants import Role
from koers.accounts.decorators import role_required


@role_required(Role.FUNCTIONAL_ADMIN)
def index(request):
    return render(request, "organisations/index.html")
