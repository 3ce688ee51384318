"""How signals travel from a provider to a platform's strategy, below every platform: the messages a
transport hands over, the MQTT clients (Hummingbot's AI-livestream format) and the project's own
Mosquitto broker. Each platform that takes its signals from a provider adapts these; none owns them."""
