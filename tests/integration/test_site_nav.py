"""Every link of the layout (header, side navigation, footer) leads
somewhere for every demo role: signed in as each, a page's layout links are
followed, redirects included, and none answers 404 or 403.  The navigation
lists only what the route table serves to that role; a driver's lists the
portal's pages only."""
import re
import unittest
from urllib.parse import urljoin

from identity import add_user, routes, signed_in

ROLE_USERS = {
    "owner": "admin@demo.test",
    "admin": "nav-admin@demo.test",
    "manager": "manager@demo.test",
    "finance": "finance@demo.test",
    "viewer": "viewer@demo.test",
    "driver": "chauffeur@demo.test",
}
ROLE_ORDER = ["driver", "viewer", "finance", "manager", "admin", "owner"]


def layout_links(page):
    """The hrefs of the page outside <main>: what the layout puts around
    every page (header, navigation, footer)."""
    text = page.text
    outside = text[:text.index("<main")] + text[text.index("</main>"):]
    return sorted(set(re.findall(r'<a [^>]*href="([^"#]+)"', outside)))


def nav_links(page):
    nav = re.search(r'<nav class="side-nav".*?</nav>', page.text, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


def follow(session, path, limit=5):
    """GET path, following redirects within the site; the last answer."""
    for _ in range(limit):
        r = session.get(path)
        if r.status not in (301, 302, 303, 307) or not r.header("location"):
            return r, path
        path = urljoin(path, r.header("location"))
    raise AssertionError(f"too many redirects from {path}")


class LayoutLinks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        add_user("demo", ROLE_USERS["admin"], "admin", name="Nadia Admin")

    def test_every_layout_link_answers_for_every_role(self):
        for role, email in ROLE_USERS.items():
            with self.subTest(role=role):
                s = signed_in(email)
                page, landed = follow(s, "/")
                self.assertEqual(page.status, 200, f"{role} lands on {landed}")
                links = layout_links(page)
                self.assertIn("/profile", links)
                self.assertTrue(nav_links(page), f"{role} has a navigation")
                # The language links last: they change the display only.
                for href in sorted(links, key=lambda h: h.startswith("/lang")):
                    r, at = follow(s, href)
                    self.assertNotIn(r.status, (403, 404), f"{role}: {href} → {at} {r.status}")
                    self.assertEqual(r.status, 200, f"{role}: {href} → {at} {r.status}")
                s.get("/lang?to=fr&back=/")

    def test_the_navigation_lists_only_routed_pages_for_the_role(self):
        served = {r["pattern"]: r["access"] for r in routes() if r["method"] == "GET"}
        for role, email in ROLE_USERS.items():
            with self.subTest(role=role):
                page, _ = follow(signed_in(email), "/")
                for href in nav_links(page):
                    self.assertIn(href, served, f"{role}: {href} is not routed")
                    least = served[href]
                    self.assertGreaterEqual(ROLE_ORDER.index(role), ROLE_ORDER.index(least),
                                            f"{role}: {href} needs {least}")
                self.assertEqual("/finance" in nav_links(page),
                                 role in ("finance", "manager", "admin", "owner"), role)
                # « Qualité des données » is routed for every staff role.
                self.assertEqual("/quality" in nav_links(page), role != "driver", role)

    def test_a_drivers_navigation_is_the_portal(self):
        page, landed = follow(signed_in(ROLE_USERS["driver"]), "/")
        self.assertEqual(landed, "/portal")
        self.assertEqual(nav_links(page), ["/portal"])
        # A manager's navigation is the fleet's, without the portal.
        page, _ = follow(signed_in(ROLE_USERS["manager"]), "/")
        self.assertNotIn("/portal", nav_links(page))
        for href in ("/vehicles", "/drivers", "/trips", "/earnings", "/sources"):
            self.assertIn(href, nav_links(page))


if __name__ == "__main__":
    unittest.main()
