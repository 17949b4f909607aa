"""Every form on the site. Flask-WTF adds and checks a CSRF token on each one."""

from gateway.forms.account import ActionForm, LogInForm, SignUpForm
from gateway.forms.choices import CONDITION_CHOICES, CONDITION_LABELS, CONDITIONS
from gateway.forms.sell import DeclineForm, OpenShopForm, ShipForm
from gateway.forms.sell_listings import ListingForm
from gateway.forms.shop import AddToCartForm, CheckoutForm

__all__ = [
    "CONDITIONS",
    "CONDITION_CHOICES",
    "CONDITION_LABELS",
    "ActionForm",
    "AddToCartForm",
    "CheckoutForm",
    "DeclineForm",
    "ListingForm",
    "LogInForm",
    "OpenShopForm",
    "ShipForm",
    "SignUpForm",
]
