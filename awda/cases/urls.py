from .views import detail_urls, lists_urls

app_name = "cases"
urlpatterns = lists_urls.urlpatterns + detail_urls.urlpatterns
