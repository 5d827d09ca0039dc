"""{% fragment "name" part… %}…{% endfragment %}: a piece of a page kept in the fragment cache.

Like Django's {% cache %}, but in the process and keyed by the public pages' generation
(labimpact/fragments.py says why): the block renders once per name, parts and language, and
again after any change to public content. Only for blocks that depend on nothing else —
not on the clock, the reader, a CSRF token or a message.
"""

from django import template

from labimpact import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context):
        name = self.name.resolve(context)
        part = "|".join(str(part.resolve(context)) for part in self.parts)
        return fragments.get_or_set(name, part, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment %} needs a name: {% fragment "name" part… %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])


@register.simple_tag
def item(mapping, key):
    """`mapping[key]`, or None: e.g. a desk's card among the cards a view fetched at once."""
    return mapping.get(key) if mapping else None
