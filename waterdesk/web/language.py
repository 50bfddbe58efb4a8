"""The interface language: Simplified Chinese for everyone unless a user chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a staff PC with an
English browser would get English screens and API messages. Here only the language cookie set by
Django's set_language view switches the language; everything else gets LANGUAGE_CODE.
"""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
