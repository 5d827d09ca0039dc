"""The project's URLs plus a bare view, the baseline every page is compared with.

The bare view sits in the same URL list, behind the same middleware, in the same gunicorn
workers as the pages: the ratio of their requests/s is then what our views, queries and
templates cost, whatever the machine.
"""

from django.http import HttpResponse
from django.urls import path

from benchmarks.run import BARE_PATH
from labimpact import urls as project_urls


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path(BARE_PATH.lstrip("/"), bare, name="bench-bare"), *project_urls.urlpatterns]

handler404 = project_urls.handler404
handler500 = project_urls.handler500
