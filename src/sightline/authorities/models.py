"""Public authorities, their FOI contacts, and named sets of them."""

from __future__ import annotations

from django.db import models

from sightline.law import Law


class Authority(models.Model):
    """A body that answers FOI requests: a council, police force, NHS trust, school..."""

    # The GSS code for councils (e.g. E09000001); another stable official code for other bodies
    # (e.g. an NHS ODS code), chosen by whoever imports them.
    gss_code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=255, blank=True)
    nation = models.CharField(max_length=32)  # England, Scotland, Wales, Northern Ireland
    authority_type = models.CharField(max_length=32, blank=True)  # e.g. LBO, MD, UA, SCO, police
    type_name = models.CharField(max_length=128, blank=True)
    region = models.CharField(max_length=64, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    website_domain = models.CharField(max_length=255, blank=True)
    law = models.CharField(max_length=8, choices=[(law.value, law.name) for law in Law])
    source = models.CharField(max_length=32)  # builtin, mysociety, csv
    register_code = models.CharField(max_length=16, blank=True)  # mySociety's three-letter code
    current = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return self.name

    @property
    def foi_email(self) -> str | None:
        contact = self.contacts.filter(kind=Contact.Kind.FOI).order_by("-checked_on", "-id").first()
        return contact.email if contact else None


class Contact(models.Model):
    class Kind(models.TextChoices):
        FOI = "foi", "FOI requests"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FOI)
    email = models.EmailField(max_length=254)
    source = models.CharField(max_length=255, blank=True)  # the file or page it came from
    checked_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "kind"], name="one_contact_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.authority.name}: {self.email}"


class AuthoritySet(models.Model):
    """A named group of authorities a campaign can be sent to (e.g. london-boroughs)."""

    slug = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    builtin = models.BooleanField(default=False)
    members = models.ManyToManyField(Authority, related_name="sets")
    # A set made of other sets (seed-52 = london-boroughs + largest-cities); findings group a
    # union's members by the part they belong to.
    parts = models.ManyToManyField("self", symmetrical=False, related_name="unions", blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug
